/** Runs the full check of a library database (doctor.ts) in a worker thread, with its progress. */
import { Worker } from 'node:worker_threads';
import type { DoctorProgress, HealthReport } from './doctor.js';

type FromDoctor = { type: 'progress'; progress: DoctorProgress } | { type: 'done'; report: HealthReport } | { type: 'failed'; message: string };

export function examineDatabaseOffThread(file: string, onProgress: (p: DoctorProgress) => void): Promise<HealthReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./doctor-worker.js', import.meta.url), { workerData: { file } });
    let settled = false;
    const settle = (fn: () => void) => {
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (message: FromDoctor) => {
      if (message.type === 'progress') onProgress(message.progress);
      else if (message.type === 'done') settle(() => resolve(message.report));
      else settle(() => reject(new Error(message.message)));
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the database check stopped unexpectedly (code ${code})`));
    });
  });
}
