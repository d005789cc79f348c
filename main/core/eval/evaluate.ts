/**
 * `likeness eval`: index a folder whose sub-folder names are class labels into a temporary
 * database, query every image against all the others, and score the rankings (mAP, P@1, P@10).
 * Also scores the alternatives to our defaults (raw vectors, other whitening settings, other
 * re-ranking settings) on the same vectors, so every choice is measured rather than guessed. The
 * pooling and view choices need the CNN's feature maps: bench/retrieval-recipes/ scores those.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../library.js';
import type { EngineName } from '../embedding/engine.js';
import { VectorIndex } from '../search/vector-index.js';
import { DEFAULT_WHITENING, fitWhitening, toSearchSpace, type WhiteningParams } from '../search/whitening.js';
import { scoreRetrieval, type RetrievalScores } from './metrics.js';
import { DEFAULT_RERANK, rerank, type RerankParams } from '../search/rerank.js';
import type { IndexProgress } from '../types.js';
import { scoreClusters, type ClustersScore } from '../clusters/evaluate-clusters.js';

export interface EvalOptions {
  engine?: EngineName;
  /** Reuse (or keep) this database instead of a throwaway one. */
  dbPath?: string;
  /** Also score whitening variants (slower). */
  sweep?: boolean;
  onProgress?: (p: IndexProgress) => void;
}

export interface EvalVariant extends RetrievalScores {
  name: string;
}

export interface EvalReport {
  folder: string;
  images: number;
  classes: number;
  failed: number;
  indexSeconds: number;
  imagesPerSecond: number;
  /** The product's own ranking (what `likeness similar` returns). */
  mAP: number;
  p1: number;
  p10: number;
  queryMsMean: number;
  variants: EvalVariant[];
  /** The product's clusters at each level against the labels (BCubed, NMI). */
  clusters: ClustersScore[];
}

export async function evaluateFolder(folder: string, options: EvalOptions = {}): Promise<EvalReport> {
  const root = path.resolve(folder);
  const temporary = options.dbPath ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-eval-'));
  const dbPath = options.dbPath ?? path.join(temporary!, 'eval.db');
  const library = Library.open({ dbPath, engine: options.engine });
  try {
    const summary = await library.index([root], { onProgress: options.onProgress });
    const labelOf = (file: string) => path.relative(root, file).split(path.sep)[0];

    const raw = new Map<number, Float32Array>();
    library.files.forEachVector(library.modelId, (id, v) => raw.set(id, v));
    const ids = [...raw.keys()];
    const paths = library.files.pathsOf(ids);
    const labels = new Map(ids.map((id) => [id, labelOf(paths.get(id)!)]));
    const labelCounts = new Map<string, number>();
    for (const l of labels.values()) labelCounts.set(l, (labelCounts.get(l) ?? 0) + 1);

    // The product's ranking, through the same steps as `likeness similar` (the search space's
    // ranking, then the re-ranking of search/rerank.ts), the search ranking every photo.
    const index = library.searchIndex();
    const started = process.hrtime.bigint();
    const product = scoreIndex(index, ids, labels, labelCounts, DEFAULT_RERANK);
    const queryMsMean = Number(process.hrtime.bigint() - started) / 1e6 / Math.max(1, ids.length);

    const variants: EvalVariant[] = [
      { name: 'raw (L2-normalised, no whitening)', ...scoreSpace(raw, null, labels, labelCounts) },
      { name: 'search space without re-ranking (cosine order)', ...scoreIndex(index, ids, labels, labelCounts, null) },
    ];
    const reranks: [string, RerankParams][] = options.sweep
      ? [
          ['re-rank DBA only (no query expansion)', { ...DEFAULT_RERANK, qeK: 0 }],
          ['re-rank depth 50', { ...DEFAULT_RERANK, depth: 50 }],
          ['re-rank depth 200', { ...DEFAULT_RERANK, depth: 200 }],
          ['re-rank DBA k=10', { ...DEFAULT_RERANK, dbaK: 10 }],
          ['re-rank αQE k=5 α=1', { ...DEFAULT_RERANK, qeK: 5, alpha: 1 }],
        ]
      : [];
    for (const [name, params] of reranks) variants.push({ name, ...scoreIndex(index, ids, labels, labelCounts, params) });
    const settings: WhiteningParams[] = options.sweep
      ? [64, 128, 256, 512].flatMap((dims) => [0, 0.25, 0.5].map((power) => ({ dims, power })))
      : [DEFAULT_WHITENING];
    for (const params of settings) {
      const w = fitWhitening([...raw.values()], params);
      variants.push({ name: `whitened dims=${w.outDims} power=${params.power} (no re-ranking)`, ...scoreSpace(raw, w, labels, labelCounts) });
    }

    return {
      folder: root,
      images: ids.length,
      classes: labelCounts.size,
      failed: summary.failed,
      indexSeconds: summary.seconds,
      imagesPerSecond: summary.indexed / Math.max(1e-9, summary.seconds),
      mAP: product.mAP,
      p1: product.p1,
      p10: product.p10,
      queryMsMean,
      variants,
      clusters: await scoreClusters((q) => library.clusters(q), new Map(ids.map((id) => [paths.get(id)!, labels.get(id)!]))),
    };
  } finally {
    await library.close();
    if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  }
}

function scoreSpace(
  raw: Map<number, Float32Array>,
  whitening: Parameters<typeof toSearchSpace>[1],
  labels: Map<number, string>,
  labelCounts: Map<string, number>,
): RetrievalScores {
  let index: VectorIndex | null = null;
  for (const [id, v] of raw) {
    const s = toSearchSpace(v, whitening);
    index ??= new VectorIndex(s.length, raw.size);
    index.set(id, s);
  }
  return scoreIndex(index!, [...raw.keys()], labels, labelCounts);
}

function scoreIndex(
  index: VectorIndex,
  ids: number[],
  labels: Map<number, string>,
  labelCounts: Map<string, number>,
  reranking: RerankParams | null = null,
): RetrievalScores {
  const queries = ids.map((id) => {
    const query = index.vector(id)!;
    const ranked = index.rankAll(query, new Set([id]));
    const hits = reranking ? rerank(query, ranked, (other) => index.vector(other), reranking) : ranked;
    return { label: labels.get(id)!, rankedLabels: hits.map((h) => labels.get(h.id)!) };
  });
  return scoreRetrieval(queries, labelCounts);
}
