/**
 * What a similarity score means to a person, and where a ranked list stops being similar.
 * Scores are cosines in the library's search space; their scale depends on the library (a fitted
 * whitening spreads them: a same-kind photo may score 0.17 and unrelated ones 0.03–0.09), so
 * apart from "copy" the words are relative to the best match that is not a copy: a result under
 * half as close as that one is not shown as similar (the junk tail of a 60-result list).
 */
export type Likeness = 'copy' | 'very similar' | 'similar';

/** A cosine this high is the same picture (re-encoded, resized, lightly edited). */
export const COPY_SCORE = 0.9;
const VERY_SIMILAR = 0.8;
const CUT = 0.5;
/** Below this, noise whatever the best is. */
const FLOOR = 0.05;

/** `scores` best first: the meaning of each, and how many are similar enough to show. */
export function describeRanking(scores: number[]): { meanings: Likeness[]; similarCount: number } {
  const best = scores.find((s) => s < COPY_SCORE) ?? scores[0] ?? 0;
  const meanings = scores.map((s): Likeness => (s >= COPY_SCORE ? 'copy' : s >= best * VERY_SIMILAR ? 'very similar' : 'similar'));
  const limit = Math.max(FLOOR, best * CUT);
  const cut = scores.findIndex((s) => s < limit);
  return { meanings, similarCount: cut === -1 ? scores.length : cut };
}
