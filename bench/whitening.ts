/**
 * The whitening fit (randomized PCA, 256 of 1792 dims) on synthetic CNN-like vectors at 1,000 and
 * 3,000 photos (the sample cap: larger libraries fit on 3,000), against the textbook baseline in
 * the same run: the full 1792×1792 covariance and its exact eigen-decomposition.
 */
import { fitWhitening } from '../main/core/search/whitening.js';
import { gaussians, symmetricEigen } from '../main/core/search/linear-algebra.js';

const DIMS = 1792;

/** Non-negative, anisotropic (a few strong shared directions), like post-ReLU features. */
function features(count: number): Float32Array[] {
  const g = gaussians(count * DIMS, 7);
  return Array.from({ length: count }, (_, i) => {
    const v = new Float32Array(DIMS);
    for (let j = 0; j < DIMS; j++) v[j] = Math.abs(g[i * DIMS + j] * (1 + 20 / (1 + j)));
    return v;
  });
}

function exactPcaSeconds(vectors: Float32Array[]): number {
  const started = performance.now();
  const covariance = new Float64Array(DIMS * DIMS);
  for (const v of vectors) {
    for (let a = 0; a < DIMS; a++) {
      const va = v[a];
      const row = a * DIMS;
      for (let b = a; b < DIMS; b++) covariance[row + b] += va * v[b];
    }
  }
  for (let a = 0; a < DIMS; a++) for (let b = 0; b < a; b++) covariance[a * DIMS + b] = covariance[b * DIMS + a];
  symmetricEigen(covariance, DIMS);
  return (performance.now() - started) / 1000;
}

export async function benchWhitening(): Promise<string[]> {
  const lines: string[] = [];
  const small = features(1000);
  for (const vectors of [small, features(3000)]) {
    const started = performance.now();
    fitWhitening(vectors);
    lines.push(`whitening fit, ${vectors.length} vectors × ${DIMS}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  lines.push(`baseline: exact PCA (covariance + full eigen-decomposition), 1000 vectors: ${exactPcaSeconds(small).toFixed(1)} s`);
  return lines;
}
