import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averagePrecision, precisionAt, scoreRetrieval } from '../../main/core/eval/metrics.js';

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
