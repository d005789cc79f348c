/**
 * Re-ranking the nearest photos with what the library itself knows, without labels: the
 * neighbours of the neighbours. Two standard steps of the retrieval literature, run on the query's
 * DEFAULT_RERANK.depth (100) nearest photos only, so a query costs one search plus a 100×100 kNN, and
 * the result is always that of the library as it is now (nothing is precomputed that additions or
 * removals could leave stale):
 *
 * 1. Database-side augmentation (DBA; Arandjelović & Zisserman 2012, Gordo et al. 2017): each
 *    candidate, and the query, is replaced by the normalised sum of itself and its dbaK (5) nearest
 *    among the candidates, weighted by similarity. A photo then stands for its little neighbourhood.
 * 2. α-weighted query expansion (αQE; Radenović et al. 2018): the augmented query plus its qeK (3)
 *    best augmented candidates weighted by similarity^α (α = 3), normalised, ranks them again.
 *
 * Measured on caltech101-dev (R-MAC vectors, photo + mirror; `likeness eval --sweep`): mAP 0.317
 * → 0.363 (P@10 0.290 → 0.330); on two halves of its categories (bench/retrieval-recipes/, one half
 * tuned, the other only reported) 0.375 → 0.431 and 0.338 → 0.401. Depth 200: 0.370 for four times
 * the work, depth 50: 0.351; DBA alone 0.354. The same steps over the whole library (every photo's
 * own neighbours, which would have to be kept up to date as photos come and go) give 0.375.
 *
 * Scores keep the cosine scale: the re-ranked list takes the candidates' own cosines, sorted, so the
 * i-th result has the i-th best cosine. A copy (cosine ≥ 0.9) stays a copy and the words and cut of
 * api/similarity-meaning.ts mean what they meant (the re-ranked similarities run higher: DBA smooths).
 */
import { exactSearch } from '../clusters/neighbours.js';
import type { Neighbour } from './vector-index.js';
import { dot } from './dot.js';

export interface RerankParams {
  /** How many of the nearest photos are re-ranked. */
  depth: number;
  /** Neighbours summed into each photo (DBA). */
  dbaK: number;
  /** Augmented candidates added to the query (αQE; 0: no expansion), weighted by similarity^alpha. */
  qeK: number;
  alpha: number;
}

/** The literature's usual settings (DBA k≈5, αQE α=3); `likeness eval --sweep` scores others. */
export const DEFAULT_RERANK: RerankParams = { depth: 100, dbaK: 5, qeK: 3, alpha: 3 };
export const RERANK_DEPTH = DEFAULT_RERANK.depth;

/**
 * `hits`: the nearest photos to the unit `query`, best first (as the search gave them; the query
 * itself excluded); `vectorOf` gives their unit search vectors. Returns the same photos, the first
 * `params.depth` re-ordered, the rest after them in their order.
 */
export function rerank(
  query: Float32Array,
  hits: Neighbour[],
  vectorOf: (id: number) => Float32Array | undefined,
  params: RerankParams = DEFAULT_RERANK,
): Neighbour[] {
  const head: Neighbour[] = [];
  const rows: Float32Array[] = [query];
  for (let h = 0; h < hits.length && head.length < params.depth; h++) {
    const v = vectorOf(hits[h].id);
    if (!v) continue;
    head.push(hits[h]);
    rows.push(v);
  }
  if (head.length <= params.dbaK) return hits;
  const d = query.length;
  const n = rows.length;
  // Row 0 the query, then the candidates, packed so the Gram matrix runs over one array.
  const packed = new Float32Array(n * d);
  rows.forEach((v, i) => packed.set(v, i * d));
  const augmented = augment(packed, n, d, params.dbaK);

  // αQE: the augmented query and its best qeK augmented candidates.
  const first: { i: number; s: number }[] = [];
  for (let i = 1; i < n; i++) first.push({ i, s: dot(augmented, i * d, augmented, 0, d) });
  first.sort((a, b) => b.s - a.s);
  const expanded = augmented.slice(0, d);
  for (const { i, s } of first.slice(0, params.qeK)) addScaled(expanded, 0, augmented, i * d, d, Math.pow(Math.max(s, 0), params.alpha));
  normalise(expanded, 0, d);

  const order: { i: number; s: number }[] = [];
  for (let i = 1; i < n; i++) order.push({ i, s: dot(augmented, i * d, expanded, 0, d) });
  order.sort((a, b) => b.s - a.s);
  const cosines = head.map((h) => h.score).sort((a, b) => b - a);
  const reranked = order.map(({ i }, rank) => ({ id: head[i - 1].id, score: cosines[rank] }));
  const inHead = new Set(head.map((h) => h.id));
  return [...reranked, ...hits.filter((h) => !inHead.has(h.id))];
}

/**
 * DBA of each of the n packed rows within the set: itself plus its k nearest others,
 * similarity-weighted (n > k). The nearest, and their similarities, come from usearch's exact SIMD
 * search (the n² dot products were most of a query's time in JavaScript); ties may order
 * differently, nothing else.
 */
function augment(rows: Float32Array, n: number, d: number, k: number): Float32Array {
  const want = k + 1; // each row finds itself too
  const { keys, distances } = exactSearch(rows, rows, d, want, 1);
  const out = rows.slice();
  for (let i = 0; i < n; i++) {
    let taken = 0;
    for (let t = i * want; t < (i + 1) * want && taken < k; t++) {
      const j = Number(keys[t]);
      if (j === i || j >= n) continue;
      taken++;
      addScaled(out, i * d, rows, j * d, d, Math.max(1 - distances[t], 0));
    }
    normalise(out, i * d, d);
  }
  return out;
}

function addScaled(out: Float32Array, oi: number, v: Float32Array, vi: number, d: number, w: number): void {
  if (w === 0) return;
  for (let j = 0; j < d; j++) out[oi + j] += w * v[vi + j];
}

function normalise(v: Float32Array, vi: number, d: number): void {
  let n = 0;
  for (let j = 0; j < d; j++) n += v[vi + j] * v[vi + j];
  n = Math.sqrt(n);
  if (n > 0) for (let j = 0; j < d; j++) v[vi + j] /= n;
}
