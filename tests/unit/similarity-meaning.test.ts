/** Similarity scores as words, and the list cut where results stop being similar. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRanking } from '../../main/api/similarity-meaning.js';

test('a whitened ranking: the copy is a copy, same-kind photos are similar, the junk tail is cut', () => {
  // The list: "96%" for a copy, "17%" for a same-kind photo, a tail at 3–9 %.
  const scores = [0.96, 0.17, 0.16, 0.13, 0.11, 0.09, 0.07, 0.05, 0.03];
  const { meanings, similarCount } = describeRanking(scores);
  assert.deepEqual(meanings.slice(0, 5), ['copy', 'very similar', 'very similar', 'similar', 'similar']);
  assert.equal(similarCount, 6, 'cut below half the best non-copy score (0.085): 0.07 and below go');
});

test('an unwhitened ranking (a small library): nothing is called a copy, nothing is cut when all are close', () => {
  const scores = [0.74, 0.71, 0.7, 0.69, 0.66, 0.62];
  const { meanings, similarCount } = describeRanking(scores);
  assert.ok(!meanings.includes('copy'));
  assert.equal(meanings[0], 'very similar');
  assert.equal(similarCount, scores.length);
});

test('noise stays noise: below 0.05 nothing is similar', () => {
  assert.equal(describeRanking([0.06, 0.04, 0.02]).similarCount, 1);
  assert.equal(describeRanking([]).similarCount, 0);
});
