import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averagePrecision, pairwiseScores, precisionAt, scoreRetrieval } from '../../main/core/eval/metrics.js';

test('average precision matches hand-computed values', () => {
  assert.equal(averagePrecision([true, true, false], 2), 1);
  assert.ok(Math.abs(averagePrecision([false, true, false, true], 2) - (1 / 2 + 2 / 4) / 2) < 1e-12);
  // A relevant item never retrieved counts as a miss.
  assert.ok(Math.abs(averagePrecision([true], 2) - 0.5) < 1e-12);
  assert.equal(averagePrecision([false, false], 0), 0);
});

test('precision at k and the leave-one-out scores', () => {
  assert.equal(precisionAt([true, false, true, false], 2), 0.5);
  const counts = new Map([['cat', 2], ['dog', 2]]);
  const s = scoreRetrieval(
    [
      { label: 'cat', rankedLabels: ['cat', 'dog', 'dog'] },
      { label: 'dog', rankedLabels: ['cat', 'dog', 'cat'] },
    ],
    counts,
  );
  assert.equal(s.p1, 0.5);
  assert.ok(Math.abs(s.mAP - (1 + 0.5) / 2) < 1e-12);
});

test('pairwiseScores counts the pairs inside groups against the true classes', () => {
  // Truth: a a a b b c. Groups: {a1 a2 b1} → 1 true pair, 2 false; {b2} alone.
  const items = ['a1', 'a2', 'a3', 'b1', 'b2', 'c1'];
  const scores = pairwiseScores([['a1', 'a2', 'b1'], ['b2']], items, (item) => item[0]);
  assert.equal(scores.tp, 1);
  assert.equal(scores.fp, 2);
  assert.equal(scores.precision, 1 / 3);
  assert.equal(scores.recall, 1 / 4); // true pairs: 3 among the a's, 1 between the b's
});
