/**
 * What the re-ranking of `similar` (search/rerank.ts) adds to a query: its cost at the default
 * depth on 256-d unit vectors, beside the same run's exact scan of the candidates it starts from.
 * The cost does not depend on the library's size (it only sees the query's nearest photos).
 */
import { DEFAULT_RERANK, rerank } from '../main/core/search/rerank.js';
import { VectorIndex } from '../main/core/search/vector-index.js';

const DIMS = 256;

function randomUnit(seed: number): Float32Array {
  let s = seed;
  const v = new Float32Array(DIMS);
  for (let i = 0; i < DIMS; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v[i] = s / 2147483648 - 0.5;
  }
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export async function benchRerank(libraryPhotos = 10_000, queries = 300): Promise<string[]> {
  const index = new VectorIndex(DIMS, libraryPhotos);
  for (let id = 0; id < libraryPhotos; id++) index.set(id, randomUnit(id + 1));
  const searchMs: number[] = [];
  const rerankMs: number[] = [];
  for (let q = 0; q < queries; q++) {
    const query = index.vector(q)!;
    const t0 = performance.now();
    const hits = index.search(query, DEFAULT_RERANK.depth, new Set([q]));
    const t1 = performance.now();
    rerank(query, hits, (id) => index.vector(id));
    const t2 = performance.now();
    searchMs.push(t1 - t0);
    rerankMs.push(t2 - t1);
  }
  const line = (what: string, ms: number[]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return `${what}: p50 ${percentile(sorted, 50).toFixed(2)} ms, p95 ${percentile(sorted, 95).toFixed(2)} ms`;
  };
  return [
    line(`re-rank of the top ${DEFAULT_RERANK.depth} (DBA k=${DEFAULT_RERANK.dbaK}, αQE k=${DEFAULT_RERANK.qeK}), any library size`, rerankMs),
    line(`baseline: exact scan for those ${DEFAULT_RERANK.depth} over ${libraryPhotos} photos (same run)`, searchMs),
  ];
}
