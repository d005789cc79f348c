/** A script run once in a worker thread: resolves with the one message it posts, then ends it. */
import { Worker } from 'node:worker_threads';

export function runOnce<T>(script: URL, workerData: unknown, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData });
    let settled = false;
    worker.once('message', (result: T) => {
      settled = true;
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`${what} exited (code ${code})`));
    });
  });
}
