/** Runs fitWhitening (with the default recipe) in a worker thread; the main thread stays free. */
import { Worker } from 'node:worker_threads';
import type { Whitening } from './whitening.js';

export function fitWhiteningOffThread(vectors: Float32Array[], fittedOn: number): Promise<Whitening> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fit-worker.js', import.meta.url), { workerData: { vectors, fittedOn } });
    let settled = false;
    worker.once('message', (fit: Whitening) => {
      settled = true;
      resolve(fit);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the whitening worker exited (code ${code})`));
    });
  });
}
