/**
 * Clusters over a library: the whole library, one folder, or a given set of photos (a search
 * result), in the library's whitened search space. Nothing is stored: a run over 100k photos takes
 * seconds (see `npm run bench`), so after any change the clusters are simply computed again.
 */
import path from 'node:path';
import type { Db } from '../store/database.js';
import type { VectorIndex } from '../search/vector-index.js';
import type { PhotoClustersAnswer, PhotoClustersQuery } from '../types.js';
import { clusterVectors, DEFAULT_CLUSTER_PARAMS, type ClusterParams } from './average-linkage.js';
import type { KnnGraph } from './neighbours.js';
import { underFolder } from '../store/folder-range.js';
import { granularityOf } from './levels.js';

/**
 * Subtracts the mean and re-normalises the rows. A library of fewer than 64 photos has no
 * whitening, and raw CNN features (non-negative) all share a large common part: every cosine is
 * high, and everything fell into one cluster. Centring removes that part, as whitening's first
 * step does; it needs no fit. (Six caltech101-dev libraries of 2–6 categories, 20–60 photos:
 * BCubed F1 0.29–0.67 as one cluster each, 0.32–0.91 centred, 4–10 clusters, precision 0.78–1.)
 */
function centre(matrix: Float32Array, dims: number): void {
  const n = matrix.length / dims;
  const mean = new Float64Array(dims);
  for (let i = 0; i < n; i++) for (let t = 0; t < dims; t++) mean[t] += matrix[i * dims + t] / n;
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let t = 0; t < dims; t++) norm += (matrix[i * dims + t] -= mean[t]) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let t = 0; t < dims; t++) matrix[i * dims + t] /= norm;
  }
}

/** What clusters are found from: the library's search state (search/search-state.ts) satisfies it. */
export interface ClustersContext {
  readonly db: Db;
  searchIndex(): VectorIndex;
  /** The library's kept k-NN graph over these photos (rows in that order), or null to compute one. */
  graph?(fileIds: number[], k: number): KnnGraph | null;
  /** Whether the search space is whitened (a library of 64+ photos); raw vectors get centred here. */
  whitened?(): boolean;
}

export function clusterLibrary(ctx: ClustersContext, query: PhotoClustersQuery = {}, params: Partial<ClusterParams> = {}): PhotoClustersAnswer {
  const t0 = performance.now();
  const index = ctx.searchIndex();
  const under = query.folder ? underFolder(path.resolve(query.folder)) : null;
  let rows = ctx.db
    .prepare(`SELECT id, path FROM files WHERE status = 'indexed'${under ? ` AND ${under.sql}` : ''} ORDER BY id`)
    .all(...(under?.args ?? [])) as { id: number; path: string }[];
  if (query.paths) {
    const wanted = new Set(query.paths.map((p) => path.resolve(p)));
    rows = rows.filter((r) => wanted.has(r.path));
  }
  rows = rows.filter((r) => index.has(r.id));
  const dims = index.dims;
  const matrix = new Float32Array(rows.length * dims);
  rows.forEach((r, i) => matrix.set(index.vector(r.id)!, i * dims));
  const whitened = ctx.whitened?.() ?? true;
  if (!whitened) centre(matrix, dims);
  // The kept graph holds neighbours in the search space; centring keeps the order of most but not
  // all of them, so a centred (small) library computes its own.
  const graph = whitened ? (ctx.graph?.(rows.map((r) => r.id), params.k ?? DEFAULT_CLUSTER_PARAMS.k) ?? undefined) : undefined;
  const granularity = query.level === undefined ? params.granularity : (granularityOf(query.level) ?? undefined);
  const result = clusterVectors(matrix, dims, { ...params, ...(granularity ? { granularity } : {}), minSize: Math.max(2, query.minSize ?? params.minSize ?? 2) }, graph);
  const clustered = result.clusters.reduce((n, c) => n + c.members.length, 0);
  return {
    clusters: result.clusters.map((c) => {
      const members = c.members.map((i) => rows[i]);
      return {
        id: members[0].id,
        size: members.length,
        representativeId: members[0].id,
        representative: members[0].path,
        memberIds: members.map((m) => m.id),
        paths: members.map((m) => m.path),
        cohesion: c.cohesion,
      };
    }),
    unclustered: rows.length - clustered,
    threshold: result.threshold,
    granularity: granularity ?? DEFAULT_CLUSTER_PARAMS.granularity,
    seconds: (performance.now() - t0) / 1000,
  };
}
