/**
 * Unsupervised PCA-whitening learned from the library's own vectors.
 *
 * Raw CNN vectors are dominated by a few directions every photo shares; whitening rescales the
 * principal directions (eigenvalue^-power) and drops the weakest, then we L2-normalise, so that
 * dot product = cosine and ranking by it is what "most similar" means. Fitted by randomized PCA
 * (Halko et al.) on at most FIT_SAMPLE vectors, so a refit stays a few seconds at any library size.
 */
import { gaussians, l2Normalise, orthonormaliseRows, symmetricEigen } from './linear-algebra.js';

export interface WhiteningParams {
  /** Target output dimensions (capped by what the sample supports). */
  dims: number;
  /** Eigenvalue power: 0 = plain PCA projection, 0.5 = full whitening. */
  power: number;
}

/**
 * Measured with `likeness eval --sweep` (README): power 0.25 beat 0.5 on every set we have
 * (cifar10-test-1000 mAP 0.167 vs 0.133; ferrari-100 0.466 vs 0.293), 128 and 256 dims tie.
 */
export const DEFAULT_WHITENING: WhiteningParams = { dims: 256, power: 0.25 };
/** Below this many photos a fit is noise: vectors are only L2-normalised. */
export const MIN_VECTORS_TO_FIT = 64;
const FIT_SAMPLE = 3000;
const OVERSAMPLE = 16;
const POWER_ITERATIONS = 2;

/**
 * Names how raw vectors become search vectors (signed sqrt, L2, PCA-whitening with these
 * defaults). A stored fit with another recipe was made for another search space: refit it.
 */
export const WHITENING_RECIPE = `ssqrt-l2-pca:dims=${DEFAULT_WHITENING.dims}:power=${DEFAULT_WHITENING.power}`;

export interface Whitening {
  recipe: string;
  inDims: number;
  outDims: number;
  power: number;
  fittedOn: number;
  mean: Float32Array;
  /** outDims × inDims, rows already scaled by eigenvalue^-power. */
  projection: Float32Array;
}

export function fitWhitening(vectors: Float32Array[], params: WhiteningParams = DEFAULT_WHITENING): Whitening {
  const sample = evenSample(vectors, FIT_SAMPLE);
  const n = sample.length;
  const d = sample[0].length;
  const k = Math.max(1, Math.min(params.dims, n - 2, d));
  const l = Math.min(k + OVERSAMPLE, n - 1, d);

  // X: n×d, L2-normalised then centred.
  const mean = new Float64Array(d);
  const x = new Float64Array(n * d);
  sample.forEach((v, i) => {
    const u = prepareRaw(v);
    for (let j = 0; j < d; j++) {
      x[i * d + j] = u[j];
      mean[j] += u[j] / n;
    }
  });
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] -= mean[j];

  // Randomized range finder, written with row vectors so every inner loop is contiguous:
  // Yᵀ = Ωᵀ Xᵀ (l×n), then power iterations Zᵀ = Yᵀ X (l×d), Yᵀ = Zᵀ Xᵀ, orthonormalised each time.
  let yt = dotRows(gaussians(l * d), l, x, n, d);
  orthonormaliseRows(yt, l, n);
  for (let q = 0; q < POWER_ITERATIONS; q++) {
    const zt = combineRows(yt, l, x, n, d);
    orthonormaliseRows(zt, l, d);
    yt = dotRows(zt, l, x, n, d);
    orthonormaliseRows(yt, l, n);
  }

  // B = Yᵀ X (l×d); eigenvectors of B Bᵀ give the top right-singular directions of X.
  const b = combineRows(yt, l, x, n, d);
  const bbt = dotRows(b, l, b, l, d);
  const { values, vectors: u } = symmetricEigen(bbt, l);

  // Principal direction i: v_i = Bᵀ u_i / σ_i; covariance eigenvalue λ_i = σ_i² / n.
  const floor = Math.max(values[0], 1e-12) * 1e-6;
  const projection = new Float32Array(k * d);
  for (let i = 0; i < k; i++) {
    const sigma2 = Math.max(values[i], floor);
    const sigma = Math.sqrt(sigma2);
    const lambda = sigma2 / n;
    const scale = Math.pow(lambda, -params.power) / sigma;
    for (let t = 0; t < d; t++) {
      let s = 0;
      for (let j = 0; j < l; j++) s += u[i * l + j] * b[j * d + t];
      projection[i * d + t] = s * scale;
    }
  }
  const recipe = params === DEFAULT_WHITENING ? WHITENING_RECIPE : `custom:dims=${params.dims}:power=${params.power}`;
  return { recipe, inDims: d, outDims: k, power: params.power, fittedOn: vectors.length, mean: Float32Array.from(mean), projection };
}

/** Maps a raw CNN vector into the search space (whitened if a fit exists) and L2-normalises it. */
export function toSearchSpace(raw: Float32Array, whitening: Whitening | null): Float32Array {
  const u = prepareRaw(raw);
  if (!whitening) return u;
  const { inDims: d, outDims: k, mean, projection } = whitening;
  if (u.length !== d) throw new Error(`vector has ${u.length} dimensions, whitening expects ${d}`);
  for (let j = 0; j < d; j++) u[j] -= mean[j];
  const out = new Float32Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += projection[row + j] * u[j];
    out[i] = s;
  }
  return l2Normalise(out);
}

/**
 * Signed square root, then L2 normalisation (a copy). The square root ("power normalisation")
 * tames the few feature channels that fire strongly on everything; it lifted mAP by 0.002–0.004
 * on both our sets, with and without whitening.
 */
export function prepareRaw(raw: Float32Array): Float32Array {
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = Math.sign(raw[i]) * Math.sqrt(Math.abs(raw[i]));
  return l2Normalise(out);
}

/**
 * Refit when none exists yet, when the stored one follows another recipe, or once the library
 * has grown by half since the last fit.
 */
export function needsRefit(current: Whitening | null, vectorCount: number): boolean {
  if (vectorCount < MIN_VECTORS_TO_FIT) return false;
  if (!current || current.recipe !== WHITENING_RECIPE) return true;
  return vectorCount >= current.fittedOn * 1.5;
}

function evenSample<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]);
}

/** Rows of A (a×d) dotted with rows of X (n×d) → a×n. Four rows of A at a time, so each
 *  element of X loaded from memory feeds four multiply-adds (this is the fit's hot loop). */
function dotRows(a: Float64Array, rowsA: number, x: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(rowsA * n);
  let i = 0;
  for (; i + 3 < rowsA; i += 4) {
    const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    for (let j = 0; j < n; j++) {
      const xj = j * d;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let t = 0; t < d; t++) {
        const v = x[xj + t];
        s0 += a[a0 + t] * v;
        s1 += a[a1 + t] * v;
        s2 += a[a2 + t] * v;
        s3 += a[a3 + t] * v;
      }
      out[i * n + j] = s0;
      out[(i + 1) * n + j] = s1;
      out[(i + 2) * n + j] = s2;
      out[(i + 3) * n + j] = s3;
    }
  }
  for (; i < rowsA; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += a[i * d + t] * x[j * d + t];
      out[i * n + j] = s;
    }
  }
  return out;
}

/** C (c×n) times X (n×d) → c×d: each output row is a weighted sum of X's rows (four at a time). */
function combineRows(c: Float64Array, rowsC: number, x: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(rowsC * d);
  for (let i = 0; i < rowsC; i++) {
    const oi = i * d;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const w0 = c[i * n + j], w1 = c[i * n + j + 1], w2 = c[i * n + j + 2], w3 = c[i * n + j + 3];
      const x0 = j * d, x1 = x0 + d, x2 = x1 + d, x3 = x2 + d;
      for (let t = 0; t < d; t++) out[oi + t] += w0 * x[x0 + t] + w1 * x[x1 + t] + w2 * x[x2 + t] + w3 * x[x3 + t];
    }
    for (; j < n; j++) {
      const w = c[i * n + j];
      for (let t = 0; t < d; t++) out[oi + t] += w * x[j * d + t];
    }
  }
  return out;
}
