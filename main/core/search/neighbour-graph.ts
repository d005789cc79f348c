/**
 * The library's nearest-neighbour graph, which duplicates and clusters start from, kept in the
 * database (neighbour_lists) per search space and updated rather than rebuilt: a run computes
 * lists only for photos that have none for their current vector (new or changed photos, or all of
 * them after a refit), and reads the rest. Similarities are always recomputed from the exact
 * vectors, and neighbours that left the library are skipped.
 *
 * A new photo's list is computed; it also enters the lists of the older photos it is nearest to
 * (reverseEdges), and both consumers read the graph as undirected (a pair is a pair whichever list
 * holds it). A refit, which follows growth by half, starts the graph afresh in the new space.
 */
import os from 'node:os';
import type { Db } from '../store/database.js';
import { SearchVectorsRepository } from '../store/search-vectors-repository.js';
import { exactNeighbours, knnGraph, type KnnGraph } from '../clusters/neighbours.js';
import type { SearchSpace } from './search-space.js';

/** Neighbours kept per photo (duplicates ask for 6 by default, clusters for 10). */
export const GRAPH_K = 16;
/** More photos than this lacking from the HNSW index (or lists): the whole graph is recomputed instead. */
const INCREMENTAL_LIMIT = 5000;
const THREADS = Math.max(1, Math.min(os.availableParallelism(), 8));

/**
 * The k-NN graph of the photos `rowIds` (rows in that order), from the stored lists, computing
 * the missing ones. Null when k exceeds what is kept (the caller computes its own graph).
 */
export function libraryGraph(db: Db, modelId: string, space: SearchSpace, rowIds: number[], k: number): KnnGraph | null {
  if (k > GRAPH_K) return null;
  const t0 = performance.now();
  const repo = new SearchVectorsRepository(db);
  const lists = new Map<number, Int32Array>();
  for (const stored of repo.neighbourLists(modelId, space.spaceId)) {
    if (stored.seq === space.seq(stored.id)) lists.set(stored.id, toInt32(stored.neighbours));
  }
  const missing = rowIds.filter((id) => !lists.has(id) && space.exact.has(id));
  if (missing.length > 0) {
    const computed = computeLists(space, missing);
    const updated = reverseEdges(space, computed, lists);
    for (const [id, neighbours] of [...computed, ...updated]) lists.set(id, neighbours);
    const changed = [...computed.keys(), ...updated.keys()];
    repo.saveNeighbourLists(modelId, space.spaceId, changed.map((id) => ({ id, seq: space.seq(id)!, neighbours: lists.get(id)! })));
  }
  const t1 = performance.now();

  const n = rowIds.length;
  const graph: KnnGraph = { n, k, neighbours: new Int32Array(n * k).fill(-1), similarities: new Float32Array(n * k), seconds: { build: 0, search: 0 } };
  const rowOf = new Map(rowIds.map((id, row) => [id, row]));
  const candidates: { row: number; s: number }[] = [];
  rowIds.forEach((id, row) => {
    const list = lists.get(id);
    const v = space.exact.vector(id);
    if (!list || !v) return;
    candidates.length = 0;
    for (const other of list) {
      const otherRow = rowOf.get(other);
      if (otherRow === undefined || otherRow === row) continue;
      candidates.push({ row: otherRow, s: space.exact.dotWith(other, v)! });
    }
    candidates.sort((a, b) => b.s - a.s);
    for (let j = 0; j < k && j < candidates.length; j++) {
      graph.neighbours[row * k + j] = candidates[j].row;
      graph.similarities[row * k + j] = candidates[j].s;
    }
  });
  graph.seconds = { build: (t1 - t0) / 1000, search: (performance.now() - t1) / 1000 };
  return graph;
}

/**
 * A new photo X near an older photo Y enters Y's list if it is nearer than Y's farthest kept
 * neighbour: the older lists stay what a fresh computation would give, as far as X's own list
 * reveals who X is near (kNN is nearly symmetric). Returns the older lists that changed.
 */
function reverseEdges(space: SearchSpace, computed: Map<number, Int32Array>, lists: Map<number, Int32Array>): Map<number, Int32Array> {
  const updated = new Map<number, Int32Array>();
  for (const [x, list] of computed) {
    const vx = space.exact.vector(x)!;
    for (const y of list) {
      if (computed.has(y)) continue;
      const current = updated.get(y) ?? lists.get(y);
      if (!current || current.includes(x)) continue;
      const vy = space.exact.vector(y);
      if (!vy) continue;
      const ranked = [...current].filter((z) => space.exact.has(z)).map((z) => ({ z, s: space.exact.dotWith(z, vy)! }));
      ranked.push({ z: x, s: space.exact.dotWith(y, vx)! });
      ranked.sort((a, b) => b.s - a.s);
      if (ranked.length > GRAPH_K && ranked[GRAPH_K].z === x) continue; // not nearer than what Y keeps
      updated.set(y, Int32Array.from(ranked.slice(0, GRAPH_K), (r) => r.z));
    }
  }
  return updated;
}

/** GRAPH_K nearest photos of each of `ids`, nearest first, as file ids. */
function computeLists(space: SearchSpace, ids: number[]): Map<number, Int32Array> {
  const { matrix, ids: all } = space.exact.rows();
  const dims = space.exact.dims;
  const out = new Map<number, Int32Array>();
  const incremental = ids.length <= INCREMENTAL_LIMIT || (space.hasAnn && space.pendingCount <= INCREMENTAL_LIMIT);
  if (!incremental) {
    // Most of the library lacks lists (a first run, a refit): the whole graph at once (HNSW at scale).
    const wanted = new Set(ids);
    const graph = knnGraph(matrix, dims, GRAPH_K);
    all.forEach((id, row) => {
      if (!wanted.has(id)) return;
      const list: number[] = [];
      for (let j = 0; j < graph.k; j++) {
        const other = graph.neighbours[row * graph.k + j];
        if (other >= 0) list.push(all[other]);
      }
      out.set(id, Int32Array.from(list));
    });
    return out;
  }
  const queries = new Float32Array(ids.length * dims);
  ids.forEach((id, i) => queries.set(space.exact.vector(id)!, i * dims));
  const fromAnn = space.annCandidates(queries, 2 * GRAPH_K + 1, THREADS);
  if (fromAnn) {
    ids.forEach((id, i) => {
      const v = queries.subarray(i * dims, (i + 1) * dims);
      const ranked = [...new Set(fromAnn[i])].filter((other) => other !== id).map((other) => ({ other, s: space.exact.dotWith(other, v)! }));
      ranked.sort((a, b) => b.s - a.s);
      out.set(id, Int32Array.from(ranked.slice(0, GRAPH_K), (r) => r.other));
    });
    return out;
  }
  // Few photos lack lists and there is no HNSW index: an exact SIMD search for just those.
  const keys = exactNeighbours(matrix, queries, dims, GRAPH_K + 1, THREADS);
  ids.forEach((id, i) => {
    const list: number[] = [];
    for (let j = 0; j <= GRAPH_K; j++) {
      const row = Number(keys[i * (GRAPH_K + 1) + j]);
      if (row < all.length && all[row] !== id && list.length < GRAPH_K) list.push(all[row]);
    }
    out.set(id, Int32Array.from(list));
  });
  return out;
}

function toInt32(buffer: Buffer): Int32Array {
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  return new Int32Array(copy.buffer);
}
