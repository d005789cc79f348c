/** Retrieval metrics as the image-retrieval papers report them. */

/**
 * Average precision of one ranked list. `relevant` is the number of relevant items in the whole
 * collection (excluding the query), so items never retrieved count as misses.
 */
export function averagePrecision(rankedRelevance: boolean[], relevant: number): number {
  if (relevant === 0) return 0;
  let hits = 0;
  let sum = 0;
  rankedRelevance.forEach((isRelevant, i) => {
    if (!isRelevant) return;
    hits++;
    sum += hits / (i + 1);
  });
  return sum / relevant;
}

export function precisionAt(rankedRelevance: boolean[], k: number): number {
  let hits = 0;
  for (let i = 0; i < k && i < rankedRelevance.length; i++) if (rankedRelevance[i]) hits++;
  return hits / k;
}

export interface RetrievalScores {
  mAP: number;
  p1: number;
  p10: number;
  queries: number;
}

/** Scores leave-one-out retrieval: each query's ranked labels against its own label. */
export function scoreRetrieval(queries: { label: string; rankedLabels: string[] }[], labelCounts: Map<string, number>): RetrievalScores {
  let ap = 0;
  let p1 = 0;
  let p10 = 0;
  for (const q of queries) {
    const relevance = q.rankedLabels.map((l) => l === q.label);
    ap += averagePrecision(relevance, (labelCounts.get(q.label) ?? 1) - 1);
    p1 += precisionAt(relevance, 1);
    p10 += precisionAt(relevance, 10);
  }
  const n = Math.max(1, queries.length);
  return { mAP: ap / n, p1: p1 / n, p10: p10 / n, queries: queries.length };
}

export interface PairwiseScores {
  precision: number;
  recall: number;
  /** Pairs grouped together that truly belong together, and pairs grouped together that do not. */
  tp: number;
  fp: number;
}

/**
 * Pairwise precision and recall of a grouping (duplicate groups, clusters) against the truth:
 * every pair of items inside one group is a prediction, true when both share `classOf`.
 * `items` is everything that was grouped or could have been (it gives the true pairs).
 */
export function pairwiseScores<T>(groups: T[][], items: T[], classOf: (item: T) => unknown): PairwiseScores {
  const classSizes = new Map<unknown, number>();
  for (const item of items) classSizes.set(classOf(item), (classSizes.get(classOf(item)) ?? 0) + 1);
  let positives = 0;
  for (const size of classSizes.values()) positives += (size * (size - 1)) / 2;
  let tp = 0;
  let fp = 0;
  for (const group of groups) {
    for (let a = 0; a < group.length; a++) {
      for (let b = a + 1; b < group.length; b++) {
        if (classOf(group[a]) === classOf(group[b])) tp++;
        else fp++;
      }
    }
  }
  return { precision: tp / Math.max(1, tp + fp), recall: tp / Math.max(1, positives), tp, fp };
}
