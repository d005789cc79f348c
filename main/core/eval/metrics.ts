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
