/** Heavy search-space work in worker threads, so that the main thread (the server) stays free. */
import { runOnce } from '../threads/run-once.js';
import type { Whitening } from './whitening.js';

/** Runs fitWhitening (with the default recipe) in a worker thread. */
export function fitWhiteningOffThread(vectors: Float32Array[], fittedOn: number): Promise<Whitening> {
  return inWorker<Whitening>('./fit-worker.js', { vectors, fittedOn });
}

/** Computes and stores the search space of a new fit (see space-worker); resolves with the count. */
export function buildSpaceOffThread(dbPath: string, modelId: string, whitening: Whitening): Promise<number> {
  return inWorker<number>('./space-worker.js', { dbPath, modelId, whitening });
}

/** Builds the HNSW index of a stored space and saves it at `file` (see ann-worker); resolves with its size. */
export function buildAnnOffThread(dbPath: string, modelId: string, spaceId: string, file: string): Promise<number> {
  return inWorker<number>('./ann-worker.js', { dbPath, modelId, spaceId, file });
}

function inWorker<T>(script: string, workerData: unknown): Promise<T> {
  return runOnce<T>(new URL(script, import.meta.url), workerData, 'the search-space worker');
}
