import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evenSampler, fitWhitening, needsRefit, prepareRaw, toSearchSpace, MIN_VECTORS_TO_FIT, WHITENING_RECIPE } from '../../main/core/search/whitening.js';
import { gaussians, symmetricEigen } from '../../main/core/search/linear-algebra.js';
import { fitWhiteningOffThread } from '../../main/core/search/fit-off-thread.js';
import { REFERENCE_EIGENVALUES, REFERENCE_EIGENVECTORS, REFERENCE_MEAN, REFERENCE_PROJECTION } from '../helpers/eigen-reference.js';

/** Anisotropic non-negative data, like post-ReLU CNN features: a few strong shared directions. */
function syntheticFeatures(count: number, dims: number): Float32Array[] {
  const g = gaussians(count * dims, 3);
  return Array.from({ length: count }, (_, i) => {
    const v = new Float32Array(dims);
    for (let j = 0; j < dims; j++) v[j] = Math.abs(g[i * dims + j] * (j < 4 ? 10 : 1) + (j % 3));
    return v;
  });
}

test('symmetricEigen recovers a known decomposition', () => {
  const m = Float64Array.from([4, 1, 0, 1, 3, 0, 0, 0, 1]);
  const { values, vectors } = symmetricEigen(m, 3);
  for (let i = 0; i < 3; i++) {
    // M v = λ v
    for (let r = 0; r < 3; r++) {
      let mv = 0;
      for (let c = 0; c < 3; c++) mv += m[r * 3 + c] * vectors[i * 3 + c];
      assert.ok(Math.abs(mv - values[i] * vectors[i * 3 + r]) < 1e-9);
    }
  }
  assert.ok(values[0] >= values[1] && values[1] >= values[2]);
});

test('symmetricEigen: A v = λ v and orthonormal vectors on a random 120×120 matrix and a rank-3 one', () => {
  const n = 120;
  const g = gaussians(n * n, 11);
  const random = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) random[i * n + j] = g[i * n + j] + g[j * n + i];
  const lowRank = new Float64Array(n * n); // Σ of three outer products: eigenvalues beyond the third are 0
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < 3; k++) lowRank[i * n + j] += g[i * 3 + k] * g[j * 3 + k];
  for (const m of [random, lowRank]) {
    const { values, vectors } = symmetricEigen(m, n);
    for (let q = 0; q < n; q++) {
      if (q > 0) assert.ok(values[q] <= values[q - 1], 'eigenvalues descend');
      for (let r = 0; r < n; r++) {
        let mv = 0;
        for (let c = 0; c < n; c++) mv += m[r * n + c] * vectors[q * n + c];
        assert.ok(Math.abs(mv - values[q] * vectors[q * n + r]) < 1e-9, `residual of eigenpair ${q}`);
      }
      for (const other of [q, (q + 1) % n]) {
        let dot = 0;
        for (let c = 0; c < n; c++) dot += vectors[q * n + c] * vectors[other * n + c];
        assert.ok(Math.abs(dot - (other === q ? 1 : 0)) < 1e-9);
      }
    }
    if (m === lowRank) {
      assert.ok(values[2] > 1);
      assert.ok(Math.abs(values[3]) < 1e-9 && Math.abs(values[n - 1]) < 1e-9);
    }
  }
});

/** The inputs tests/helpers/eigen-reference.ts was made from: 300 structured 24-d vectors. */
function referenceVectors(): Float32Array[] {
  const dims = 24;
  const g = gaussians(300 * dims, 5);
  return Array.from({ length: 300 }, (_, i) => {
    const v = new Float32Array(dims);
    for (let j = 0; j < dims; j++) v[j] = Math.abs(g[i * dims + j] * (1 + 20 / (1 + j)) + (j % 3));
    return v;
  });
}

/** Row r of b equals row r of a, or its negation (an eigenvector's sign is arbitrary). */
function assertRowsAgreeUpToSign(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, cols: number, tolerance: number, what: string): void {
  for (let r = 0; r < rows; r++) {
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += a[r * cols + c] * b[r * cols + c];
    const sign = dot < 0 ? -1 : 1;
    for (let c = 0; c < cols; c++) {
      const scale = Math.max(1, Math.abs(a[r * cols + c]));
      assert.ok(Math.abs(a[r * cols + c] - sign * b[r * cols + c]) <= tolerance * scale, `${what} row ${r} component ${c}: ${b[r * cols + c]} vs ${a[r * cols + c]}`);
    }
  }
}

test('symmetricEigen gives what the hand-written port gave on a real covariance (vectors up to sign)', () => {
  const vectors = referenceVectors();
  const dims = 24;
  const mean = new Float64Array(dims);
  for (const v of vectors) for (let j = 0; j < dims; j++) mean[j] += v[j] / vectors.length;
  const covariance = new Float64Array(dims * dims);
  for (const v of vectors) {
    for (let a = 0; a < dims; a++) for (let b = 0; b < dims; b++) covariance[a * dims + b] += ((v[a] - mean[a]) * (v[b] - mean[b])) / vectors.length;
  }
  const { values, vectors: eigenvectors } = symmetricEigen(covariance, dims);
  assert.equal(values.length, REFERENCE_EIGENVALUES.length);
  values.forEach((value, i) => assert.ok(Math.abs(value - REFERENCE_EIGENVALUES[i]) <= 1e-9 * REFERENCE_EIGENVALUES[i], `eigenvalue ${i}: ${value} vs ${REFERENCE_EIGENVALUES[i]}`));
  assertRowsAgreeUpToSign(REFERENCE_EIGENVECTORS, eigenvectors, dims, dims, 1e-8, 'eigenvector');
});

test('the whitening fit is the one the hand-written eigensolver made (rows up to sign)', () => {
  const fit = fitWhitening(referenceVectors(), { dims: 8, power: 0.25 });
  assert.equal(fit.outDims, 8);
  assert.deepEqual(Array.from(fit.mean), REFERENCE_MEAN);
  assertRowsAgreeUpToSign(REFERENCE_PROJECTION, fit.projection, 8, 24, 1e-5, 'projection');
});

test('full whitening (power 0.5) makes the principal components uncorrelated with equal variance', () => {
  const data = syntheticFeatures(400, 40);
  const w = fitWhitening(data, { dims: 8, power: 0.5 });
  assert.equal(w.outDims, 8);
  // Project without the final normalisation to check the covariance directly.
  const projected = data.map((raw) => {
    const u = prepareRaw(raw);
    for (let j = 0; j < u.length; j++) u[j] -= w.mean[j];
    return Array.from({ length: w.outDims }, (_, i) => u.reduce((s, x, j) => s + x * w.projection[i * u.length + j], 0));
  });
  for (let a = 0; a < 8; a++) {
    for (let b = 0; b < 8; b++) {
      const cov = projected.reduce((s, p) => s + p[a] * p[b], 0) / projected.length;
      if (a === b) assert.ok(Math.abs(cov - 1) < 0.05, `variance of component ${a} is ${cov}`);
      else assert.ok(Math.abs(cov) < 0.05, `covariance ${a},${b} is ${cov}`);
    }
  }
});

test('search-space vectors are unit length; small samples cap the dimensions', () => {
  const data = syntheticFeatures(30, 64);
  const w = fitWhitening(data, { dims: 256, power: 0.25 });
  assert.ok(w.outDims <= 28);
  const v = toSearchSpace(data[0], w);
  assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-5);
  assert.ok(Math.abs(Math.hypot(...toSearchSpace(data[0], null)) - 1) < 1e-5);
});

test('refit policy: none below the minimum, then on first fit, recipe change and 1.5× growth', () => {
  assert.equal(needsRefit(null, MIN_VECTORS_TO_FIT - 1), false);
  assert.equal(needsRefit(null, MIN_VECTORS_TO_FIT), true);
  const fit = fitWhitening(syntheticFeatures(100, 16));
  assert.equal(fit.recipe, WHITENING_RECIPE);
  assert.equal(needsRefit(fit, 120), false);
  assert.equal(needsRefit(fit, 150), true);
  assert.equal(needsRefit({ ...fit, recipe: 'older' }, 100), true);
});

test('evenSampler keeps an even sample of a stream read once, and everything below the cap', () => {
  const picked = (total: number, max: number) => {
    const keep = evenSampler(total, max);
    return Array.from({ length: total }, (_, i) => i).filter((i) => keep(i));
  };
  const sample = picked(10_000, 3000);
  assert.equal(sample.length, 3000);
  assert.deepEqual(sample.slice(0, 4), [0, 3, 6, 10]); // floor(k × 10000/3000)
  assert.ok(sample[2999] >= 9990);
  assert.equal(picked(2500, 3000).length, 2500);
  // A fit on the sample stands for the whole library.
  const fit = fitWhitening(syntheticFeatures(200, 16), { dims: 8, power: 0.25 }, 10_000);
  assert.equal(fit.fittedOn, 10_000);
  assert.equal(needsRefit({ ...fit, recipe: WHITENING_RECIPE }, 12_000), false);
});

test('a fit off the main thread gives the same whitening and leaves the event loop running', async () => {
  const data = syntheticFeatures(300, 64);
  let ticks = 0;
  let fitting = true;
  const tick = () => {
    ticks++;
    if (fitting) setImmediate(tick);
  };
  setImmediate(tick);
  const offThread = await fitWhiteningOffThread(data, 300);
  fitting = false;
  assert.ok(ticks > 3, `the event loop turned ${ticks} times during the fit`);
  const here = fitWhitening(data);
  assert.equal(offThread.recipe, WHITENING_RECIPE);
  assert.equal(offThread.fittedOn, 300);
  assert.deepEqual(Array.from(offThread.projection), Array.from(here.projection));
  assert.deepEqual(Array.from(offThread.mean), Array.from(here.mean));
});
