/**
 * `examineDatabase` in its own thread (see doctor-thread.ts): SQLite's integrity check of a large
 * library takes seconds to tens of seconds, during which the server must keep answering.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { examineDatabase } from './doctor.js';

const { file } = workerData as { file: string };
try {
  const report = examineDatabase(file, (progress) => parentPort!.postMessage({ type: 'progress', progress }));
  parentPort!.postMessage({ type: 'done', report });
} catch (error) {
  parentPort!.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
