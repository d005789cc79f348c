/**
 * Builds the HNSW index of a stored search space in its own thread, with its own database
 * connection (at 100k photos ~40 s of CPU), saves it, and stores the neighbour graph of the
 * space computed with it; see buildAnnOffThread.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database.js';
import { SearchVectorsRepository } from '../store/search-vectors-repository.js';
import { buildAnnFile, nearestRows } from './ann-index.js';
import { GRAPH_K } from './neighbour-graph.js';
import { snapshotFileOf, writeSpaceSnapshot } from './space-snapshot.js';

const { dbPath, modelId, spaceId, file } = workerData as { dbPath: string; modelId: string; spaceId: string; file: string };
const db = openDatabase(dbPath);
try {
  const repo = new SearchVectorsRepository(db);
  const capacity = repo.count(modelId, spaceId);
  let dims = 0;
  let matrix = new Float32Array(0);
  const keys: bigint[] = [];
  const ids: number[] = [];
  repo.forEach(modelId, spaceId, (row) => {
    if (dims === 0) {
      dims = row.bytes.byteLength / 4;
      matrix = new Float32Array(capacity * dims);
    }
    if (keys.length >= capacity) return; // rows added since the count: left to the exact scan
    new Uint8Array(matrix.buffer, keys.length * dims * 4, dims * 4).set(row.bytes);
    keys.push(BigInt(row.seq));
    ids.push(row.id);
  });
  const threads = Math.max(1, Math.min(os.availableParallelism(), 8));
  if (dims > 0) {
    const seqs = BigUint64Array.from(keys);
    saveSnapshot(snapshotFileOf(file), dims, ids, keys, matrix);
    const index = buildAnnFile(file, matrix, seqs, dims, threads);
    // The neighbour graph of the same rows while the index is at hand, so that the first
    // duplicates or clusters run reads it instead of computing it (see search/neighbour-graph).
    const lists = nearestRows(index, matrix, seqs, dims, GRAPH_K, threads);
    repo.saveNeighbourLists(
      modelId,
      spaceId,
      lists.map((rows, i) => ({ id: ids[i], seq: Number(keys[i]), neighbours: Int32Array.from(rows, (r) => ids[r]) })),
    );
  }
  parentPort!.postMessage(keys.length);
} finally {
  db.close();
}

/** The rows in ascending file-id order, as the snapshot keeps them; none if it cannot be written (the space is then read from the database). */
function saveSnapshot(target: string, dims: number, ids: number[], keys: bigint[], matrix: Float32Array): void {
  const order = ids.map((_, i) => i);
  const sorted = ids.every((id, i) => i === 0 || id > ids[i - 1]);
  let rows = matrix.subarray(0, ids.length * dims);
  if (!sorted) {
    // (A copy only when the rows came in another order: the database walks them by file id.)
    order.sort((a, b) => ids[a] - ids[b]);
    rows = new Float32Array(order.length * dims);
    order.forEach((from, to) => rows.set(matrix.subarray(from * dims, (from + 1) * dims), to * dims));
  }
  try {
    writeSpaceSnapshot(target, { dims, ids: Uint32Array.from(order, (i) => ids[i]), seqs: Float64Array.from(order, (i) => Number(keys[i])), matrix: rows });
  } catch {
    fs.rmSync(`${target}.partial`, { force: true });
  }
}
