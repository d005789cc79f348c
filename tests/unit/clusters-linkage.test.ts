/**
 * Average-linkage clustering on controlled vectors: separated groups are found without being told
 * how many, outliers stay unclustered, the representative is the member nearest the centre,
 * clusters come largest first; NMI and BCubed are checked against hand-computed values; the levels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adaptiveThreshold, clusterVectors, DEFAULT_CLUSTER_PARAMS } from '../../main/core/clusters/average-linkage.js';
import { knnGraph } from '../../main/core/clusters/neighbours.js';
import { bcubed, normalisedMutualInformation } from '../../main/core/clusters/metrics.js';
import { CLUSTER_LEVELS, granularityOf } from '../../main/core/clusters/levels.js';
import { gaussians, l2Normalise } from '../../main/core/search/linear-algebra.js';

const DIMS = 256;

/** `sizes[g]` members around direction g (spread `spread`), then `outliers` random vectors. */
function blobs(sizes: number[], spread: number, outliers: number): { matrix: Float32Array; labels: number[] } {
  const total = sizes.reduce((a, b) => a + b, 0) + outliers;
  const noise = gaussians(total * DIMS, 5);
  const matrix = new Float32Array(total * DIMS);
  const labels: number[] = [];
  let row = 0;
  sizes.forEach((size, g) => {
    for (let m = 0; m < size; m++, row++) {
      const v = new Float32Array(DIMS);
      for (let j = 0; j < DIMS; j++) v[j] = (j === g ? 1 : 0) + (spread * noise[row * DIMS + j]) / Math.sqrt(DIMS);
      matrix.set(l2Normalise(v), row * DIMS);
      labels.push(g);
    }
  });
  for (let o = 0; o < outliers; o++, row++) {
    const v = new Float32Array(DIMS);
    for (let j = 0; j < DIMS; j++) v[j] = noise[row * DIMS + j];
    matrix.set(l2Normalise(v), row * DIMS);
    labels.push(-1 - o);
  }
  return { matrix, labels };
}

test('NMI: 1 for the same partition (any naming), low for unrelated ones', () => {
  assert.equal(normalisedMutualInformation([0, 0, 1, 1], ['b', 'b', 'a', 'a']), 1);
  assert.ok(Math.abs(normalisedMutualInformation([0, 0, 1, 1], [0, 1, 0, 1])) < 1e-12);
  // Hand-computed: labels [a a a b b b], clusters [x x y y y y] → I = 0.3183, H = 0.6931 + 0.6365.
  assert.ok(Math.abs(normalisedMutualInformation(['a', 'a', 'a', 'b', 'b', 'b'], [1, 1, 2, 2, 2, 2]) - 0.4787) < 1e-3);
});

test('separated groups are found without a cluster count; outliers stay unclustered', () => {
  const { matrix, labels } = blobs([12, 8, 5], 0.35, 6);
  const result = clusterVectors(matrix, DIMS);
  assert.deepEqual(result.clusters.map((c) => c.members.length), [12, 8, 5], 'largest first');
  for (const c of result.clusters) {
    assert.equal(new Set(c.members.map((m) => labels[m])).size, 1, 'each cluster is one group');
    const [rep, ...rest] = c.members;
    const centre = new Float32Array(DIMS);
    for (const m of c.members) for (let j = 0; j < DIMS; j++) centre[j] += matrix[m * DIMS + j];
    const cos = (m: number) => matrix.subarray(m * DIMS, (m + 1) * DIMS).reduce((s, v, j) => s + v * centre[j], 0);
    assert.ok(rest.every((m) => cos(m) <= cos(rep) + 1e-6), 'the representative is nearest the centre');
    assert.ok(c.cohesion > result.threshold);
  }
  const clustered = new Set(result.clusters.flatMap((c) => c.members));
  for (let i = 25; i < labels.length; i++) assert.ok(!clustered.has(i), `outlier ${i} stays out`);
});

test('the threshold follows the library within its bounds', () => {
  const tight = blobs([20, 20], 0.2, 0);
  const loose = blobs([20, 20], 1.6, 0);
  const p = DEFAULT_CLUSTER_PARAMS;
  const t1 = adaptiveThreshold(knnGraph(tight.matrix, DIMS, p.k), p);
  const t2 = adaptiveThreshold(knnGraph(loose.matrix, DIMS, p.k), p);
  assert.equal(t1, p.maxThreshold, 'near-identical members: capped');
  assert.ok(t2 < t1 && t2 >= p.minThreshold);
});

test('the HNSW path (large inputs) and the exact path agree on clear groups', () => {
  const sizes = Array.from({ length: 24 }, (_, g) => 30 + g);
  const { matrix, labels } = blobs(sizes, 0.5, 0);
  const exact = clusterVectors(matrix, DIMS, { ann: { exactBelow: 1_000_000 } });
  const ann = clusterVectors(matrix, DIMS, { ann: { exactBelow: 10 } });
  for (const result of [exact, ann]) {
    const assigned = new Array(labels.length).fill(-1);
    result.clusters.forEach((c, k) => c.members.forEach((m) => (assigned[m] = k)));
    assert.ok(normalisedMutualInformation(labels, assigned) > 0.99);
  }
});

test('BCubed: hand-computed values; a photo in no cluster is its own singleton', () => {
  // Labels a a a b b, clusters {0,1} {2,3} and photo 4 in none. Per photo precision 1, 1, ½, ½, 1
  // (the singleton); recall ⅔, ⅔, ⅓, ½, ½.
  const b = bcubed(['a', 'a', 'a', 'b', 'b'], [0, 0, 1, 1, null]);
  assert.ok(Math.abs(b.precision - 4 / 5) < 1e-12);
  assert.ok(Math.abs(b.recall - (2 / 3 + 2 / 3 + 1 / 3 + 1 / 2 + 1 / 2) / 5) < 1e-12);
  assert.ok(Math.abs(b.f1 - (2 * b.precision * b.recall) / (b.precision + b.recall)) < 1e-12);
  // Two unclustered photos are two singletons, not one cluster of "none".
  assert.deepEqual(bcubed(['a', 'a'], [undefined, undefined]), { precision: 1, recall: 0.5, f1: 2 / 3 });
  assert.deepEqual(bcubed(['a', 'a', 'b'], ['x', 'x', 'y']), { precision: 1, recall: 1, f1: 1 });
});

test('levels: names and numbers within bounds give a granularity; anything else is refused', () => {
  assert.equal(granularityOf('default'), 1);
  assert.ok(granularityOf('finer')! > 1 && granularityOf('coarser')! < 1);
  assert.equal(granularityOf('1.5'), 1.5);
  assert.equal(granularityOf(0.5), 0.5);
  for (const bad of ['huge', '', '3', '0.1', 'NaN', 'toString', 2.5]) assert.equal(granularityOf(bad), null, String(bad));
});

test('a finer level gives tighter clusters holding fewer photos; a coarser one larger clusters', () => {
  const { matrix } = blobs([12, 10, 8, 6], 1.8, 10);
  const held = (granularity: number) => clusterVectors(matrix, DIMS, { granularity }).clusters.reduce((n, c) => n + c.members.length, 0);
  const largest = (granularity: number) => clusterVectors(matrix, DIMS, { granularity }).clusters[0]?.members.length ?? 0;
  assert.ok(held(CLUSTER_LEVELS.finer) < held(1), `finer ${held(CLUSTER_LEVELS.finer)} < default ${held(1)}`);
  assert.ok(held(CLUSTER_LEVELS.coarser) > held(1), `coarser ${held(CLUSTER_LEVELS.coarser)} > default ${held(1)}`);
  assert.ok(largest(CLUSTER_LEVELS.coarser) >= largest(CLUSTER_LEVELS.finer));
});
