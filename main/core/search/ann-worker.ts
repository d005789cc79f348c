/**
 * Builds the HNSW index of a stored search space in its own thread, with its own database
 * connection (at 100k photos ~40 s of CPU), and saves it; see buildAnnOffThread.
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database.js';
import { SearchVectorsRepository } from '../store/search-vectors-repository.js';
import { buildAnnFile } from './ann-index.js';

const { dbPath, modelId, spaceId, file } = workerData as { dbPath: string; modelId: string; spaceId: string; file: string };
const db = openDatabase(dbPath);
try {
  const repo = new SearchVectorsRepository(db);
  const capacity = repo.count(modelId, spaceId);
  let dims = 0;
  let matrix = new Float32Array(0);
  const keys: bigint[] = [];
  repo.forEach(modelId, spaceId, (row) => {
    if (dims === 0) {
      dims = row.bytes.byteLength / 4;
      matrix = new Float32Array(capacity * dims);
    }
    if (keys.length >= capacity) return; // rows added since the count: left to the exact scan
    new Uint8Array(matrix.buffer, keys.length * dims * 4, dims * 4).set(row.bytes);
    keys.push(BigInt(row.seq));
  });
  const threads = Math.max(1, Math.min(os.availableParallelism(), 8));
  if (dims > 0) buildAnnFile(file, matrix, BigUint64Array.from(keys), dims, threads);
  parentPort!.postMessage(keys.length);
} finally {
  db.close();
}
