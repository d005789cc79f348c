/**
 * The k-nearest-neighbour graph of a set of unit vectors (dot product = cosine), which duplicates
 * and clusters both start from. All-pairs comparison does not scale, so above `exactBelow` rows
 * the graph comes from an HNSW index (usearch: a maintained native library, SIMD, multi-threaded);
 * below it, usearch's exact brute-force search is fast enough and has perfect recall.
 *
 * The HNSW index stores vectors as 8-bit integers (build and search ~2.5× faster than float32 on
 * our 2-core machines) and is asked for `rerank`×k candidates, which are then re-ranked with exact
 * float32 dot products: higher recall in less time than a float32 index (DEFAULT_ANN has the
 * measurements; `npm run bench` measures recall@10 against exact search again).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import type * as Usearch from 'usearch';

const require = createRequire(import.meta.url);
let usearch: typeof Usearch.default | null = null;
function lib(): typeof Usearch.default {
  // The package's CommonJS build is the one that finds its prebuilt binary reliably.
  usearch ??= require('usearch') as typeof Usearch.default;
  return usearch;
}

/**
 * usearch's exact search reads its dataset and queries from the start of their ArrayBuffers,
 * ignoring a typed array's byteOffset (usearch 2.x, measured): a subarray that does not start at
 * its buffer's beginning is copied first, or it would be searched with the wrong rows.
 */
export function exactSearch(dataset: Float32Array, queries: Float32Array, dims: number, k: number, threads: number): Usearch.BatchMatches {
  const fromStart = (a: Float32Array) => (a.byteOffset === 0 ? a : a.slice());
  return lib().exactSearch(fromStart(dataset), fromStart(queries), dims, k, lib().MetricKind.IP, threads) as Usearch.BatchMatches;
}

export interface KnnGraph {
  /** Number of rows. */
  n: number;
  /** Neighbours kept per row. */
  k: number;
  /** n×k row indices, best first; -1 where a row has fewer than k neighbours. */
  neighbours: Int32Array;
  /** n×k cosine similarities matching `neighbours`. */
  similarities: Float32Array;
  /** Where the time went: building the HNSW index (0 for exact search), searching, re-ranking. */
  seconds: { build: number; search: number };
}

export interface AnnParams {
  /** Rows below which exact search is used. */
  exactBelow: number;
  /** HNSW graph degree. */
  connectivity: number;
  /** Beam width while building. */
  expansionAdd: number;
  /** Beam width while searching (the recall/speed knob). */
  expansionSearch: number;
  /** HNSW candidates per wanted neighbour, re-ranked exactly. */
  rerank: number;
  /** Storage of the HNSW vectors. */
  quantization: 'f32' | 'i8';
  threads: number;
}

/**
 * Chosen by a sweep on 100k synthetic vectors (bench/duplicates.ts), 2 cores: recall@10 against
 * exact search / seconds for the whole graph — i8, M=16, ef_add 48: 0.983 / 34 s; ef_add 64:
 * 0.990 / 36 s; ef_add 96: 0.994 / 38 s; M=24, ef_add 64: 0.994 / 40 s; ef_search 64 instead of
 * 48: +0.003; float32, ef 40: 0.977 / slower. 8-bit storage with exact re-ranking wins.
 */
export const DEFAULT_ANN: AnnParams = {
  exactBelow: 4000,
  connectivity: 16,
  expansionAdd: 96,
  expansionSearch: 48,
  rerank: 2,
  quantization: 'i8',
  threads: Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 8)),
};

/**
 * For each row of `matrix` (n×dims, row-major, unit rows), its k most similar other rows.
 */
export function knnGraph(matrix: Float32Array, dims: number, k: number, params: Partial<AnnParams> = {}): KnnGraph {
  const p = { ...DEFAULT_ANN, ...params };
  const n = Math.floor(matrix.length / dims);
  const kk = Math.max(0, Math.min(k, n - 1));
  const graph: KnnGraph = { n, k: kk, neighbours: new Int32Array(n * kk).fill(-1), similarities: new Float32Array(n * kk), seconds: { build: 0, search: 0 } };
  const t0 = performance.now();
  if (n < 2 || kk === 0) return graph;
  if (n < p.exactBelow) {
    const want = kk + 1; // each row finds itself too
    const result = exactSearch(matrix, matrix, dims, want, p.threads);
    for (let row = 0; row < n; row++) {
      let out = 0;
      for (let j = 0; j < want && out < kk; j++) {
        const at = row * want + j;
        const key = Number(result.keys[at]);
        if (key === row || key >= n || !Number.isFinite(result.distances[at])) continue;
        graph.neighbours[row * kk + out] = key;
        graph.similarities[row * kk + out] = 1 - result.distances[at];
        out++;
      }
    }
    graph.seconds.search = (performance.now() - t0) / 1000;
    return graph;
  }
  const index = buildIndex(matrix, dims, p);
  graph.seconds.build = (performance.now() - t0) / 1000;
  const want = Math.min(n, Math.max(kk + 1, Math.ceil(kk * p.rerank) + 1));
  const result = index.search(matrix, want, p.threads) as Usearch.BatchMatches;
  const candidates: { id: number; s: number }[] = [];
  for (let row = 0; row < n; row++) {
    candidates.length = 0;
    const base = row * dims;
    for (let j = 0; j < want; j++) {
      const key = Number(result.keys[row * want + j]);
      if (key === row || key >= n) continue;
      let s = 0;
      const other = key * dims;
      for (let t = 0; t < dims; t++) s += matrix[base + t] * matrix[other + t];
      candidates.push({ id: key, s });
    }
    candidates.sort((a, b) => b.s - a.s);
    for (let j = 0; j < kk && j < candidates.length; j++) {
      graph.neighbours[row * kk + j] = candidates[j].id;
      graph.similarities[row * kk + j] = candidates[j].s;
    }
  }
  graph.seconds.search = (performance.now() - t0) / 1000 - graph.seconds.build;
  return graph;
}

/** An HNSW index over the rows of `matrix`, keyed by row number. */
export function buildIndex(matrix: Float32Array, dims: number, params: Partial<AnnParams> = {}): Usearch.Index {
  const p = { ...DEFAULT_ANN, ...params };
  const n = Math.floor(matrix.length / dims);
  const index = new (lib().Index)({
    dimensions: dims,
    metric: lib().MetricKind.IP,
    quantization: p.quantization === 'i8' ? lib().ScalarKind.I8 : lib().ScalarKind.F32,
    connectivity: p.connectivity,
    expansion_add: p.expansionAdd,
    expansion_search: p.expansionSearch,
    multi: false,
  });
  const keys = new BigUint64Array(n);
  for (let i = 0; i < n; i++) keys[i] = BigInt(i);
  if (n > 0) index.add(keys, matrix.subarray(0, n * dims), p.threads);
  return index;
}

/** Exact k-NN of some query rows (for measuring recall). */
export function exactNeighbours(matrix: Float32Array, queries: Float32Array, dims: number, k: number, threads = DEFAULT_ANN.threads): BigUint64Array {
  // usearch refuses k above the number of rows (a library of a handful of photos): search for
  // what there is, and fill each query's missing places with the row count (no row).
  const rows = Math.floor(matrix.length / dims);
  const found = Math.min(k, rows);
  const keys = found > 0 ? exactSearch(matrix, queries, dims, found, threads).keys : new BigUint64Array(0);
  if (found === k) return keys;
  const count = Math.floor(queries.length / dims);
  const out = new BigUint64Array(count * k).fill(BigInt(rows));
  for (let q = 0; q < count; q++) out.set(keys.subarray(q * found, (q + 1) * found), q * k);
  return out;
}

