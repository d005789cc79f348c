/**
 * Fills a new whitening fit's search space in its own thread, with its own database connection:
 * at 100k photos that is ~100k × 256 × 1792 multiply-adds, which on the main thread would stall
 * the web server. See buildSpaceOffThread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database.js';
import { fillSpace } from './search-space.js';
import type { Whitening } from './whitening.js';

const { dbPath, modelId, whitening } = workerData as { dbPath: string; modelId: string; whitening: Whitening };
const db = openDatabase(dbPath);
try {
  parentPort!.postMessage(fillSpace(db, modelId, whitening));
} finally {
  db.close();
}
