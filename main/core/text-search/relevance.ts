/**
 * Relevance feedback: ranking by several positive examples ("more like these") and optional
 * negative ones ("less like that"), in the whitened cosine space.
 *
 * The rule is Rocchio's: score(x) = mean over positives of cos(x, p) − β · mean over negatives
 * of cos(x, n), with β = 0.25. Measured on cifar10-test-1000 (300 random queries each; 3 positives
 * from one class; negatives = what a user would reject, the best-ranked wrong photos, or three of
 * the most confused other class), against a gated rule (penalise only photos closer to a negative
 * than to the positives) and max-similarity pooling:
 * - positives only: the mean (Rocchio) beats max pooling, AP 0.224 vs 0.204 (one example: 0.172);
 * - with three negatives of the confused class, β = 0.25 cuts that class in the top 20 from 8.8 %
 *   to 5.8 % while P@20 of the wanted class stays 0.377 (vs 0.379); β = 0.5 costs P@20 0.06;
 *   the gated rules removed less of the negative class for more loss of the wanted one.
 * The test tests/integration/search-cifar.test.ts measures it again on real photos.
 */

export type FeedbackRule = 'rocchio' | 'max' | 'mean-maxneg';

export interface FeedbackParams {
  rule: FeedbackRule;
  /** Weight of the negative examples. */
  beta: number;
}

export const DEFAULT_FEEDBACK: FeedbackParams = { rule: 'rocchio', beta: 0.25 };

/** Scores one unit vector `x` against positive and negative unit examples. */
export function feedbackScore(x: Float32Array, positives: Float32Array[], negatives: Float32Array[], params: FeedbackParams = DEFAULT_FEEDBACK): number {
  const pos = positives.map((p) => dot(x, p));
  const neg = negatives.map((q) => dot(x, q));
  let score: number;
  switch (params.rule) {
    case 'max':
      score = pos.length ? Math.max(...pos) : 0;
      return score - (neg.length ? params.beta * Math.max(...neg) : 0);
    case 'rocchio':
      score = pos.length ? mean(pos) : 0;
      return score - (neg.length ? params.beta * mean(neg) : 0);
    case 'mean-maxneg':
    default:
      score = pos.length ? mean(pos) : 0;
      return score - (neg.length ? params.beta * Math.max(...neg) : 0);
  }
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
