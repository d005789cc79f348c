/** The little dense linear algebra whitening needs: Jacobi eigensolver, Gram–Schmidt, Gaussians. */

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major, copied) by cyclic Jacobi rotations.
 * Returns eigenvalues in descending order and the matching eigenvectors as rows.
 * O(n³) per sweep: meant for the small (≤ ~300) problems randomized PCA reduces to.
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = a[i * n + j] * a[i * n + j];
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off <= 1e-22 * total) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vpk = v[p * n + k];
          const vqk = v[q * n + k];
          v[p * n + k] = c * vpk - s * vqk;
          v[q * n + k] = s * vpk + c * vqk;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y] - a[x * n + x]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = a[from * n + from];
    vectors.set(v.subarray(from * n, from * n + n), to * n);
  });
  return { values, vectors };
}

/** Orthonormalises the rows of an r×c row-major matrix in place (modified Gram–Schmidt, twice). */
export function orthonormaliseRows(m: Float64Array, rows: number, cols: number): void {
  for (let j = 0; j < rows; j++) {
    const rj = j * cols;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const ri = i * cols;
        let dot = 0;
        for (let t = 0; t < cols; t++) dot += m[ri + t] * m[rj + t];
        for (let t = 0; t < cols; t++) m[rj + t] -= dot * m[ri + t];
      }
    }
    let norm = 0;
    for (let t = 0; t < cols; t++) norm += m[rj + t] * m[rj + t];
    norm = Math.sqrt(norm) || 1;
    for (let t = 0; t < cols; t++) m[rj + t] /= norm;
  }
}

/** A deterministic uniform generator on (0, 1) (xorshift32): same seed, same sequence. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
}

/** Deterministic standard normals (seeded xorshift + Box–Muller): fits are reproducible. */
export function gaussians(count: number, seed = 42): Float64Array {
  const uniform = seededUniform(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const phi = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(phi);
    if (i + 1 < count) out[i + 1] = r * Math.sin(phi);
  }
  return out;
}

export function l2Normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}
