/** The little dense linear algebra whitening needs: a symmetric eigensolver, Gram–Schmidt, Gaussians. */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major, not modified), by ml-matrix's
 * EigenvalueDecomposition (Householder tridiagonalisation, then implicit QL: EISPACK tred2/tql2,
 * as in JAMA). Returns eigenvalues in descending order and the matching eigenvectors as rows.
 * On the 272×272 problem of a 256-d whitening fit this is a few tens of milliseconds; on a full
 * 1792×1792 covariance it took as long as the hand-written port it replaced (51 s each, one run).
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const rows = Array.from({ length: n }, (_, r) => matrix.subarray(r * n, r * n + n));
  const decomposition = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const eigenvalues = decomposition.realEigenvalues;
  // Its eigenvectors are the columns; as rows they are contiguous.
  const basis = decomposition.eigenvectorMatrix.transpose();
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => eigenvalues[y] - eigenvalues[x]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = eigenvalues[from];
    vectors.set(basis.getRow(from), to * n);
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

/** Scales each row of an r×c row-major matrix to unit length, in place (zero rows stay zero). */
export function normaliseRows(m: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    let norm = 0;
    for (let t = i * cols; t < (i + 1) * cols; t++) norm += m[t] * m[t];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let t = i * cols; t < (i + 1) * cols; t++) m[t] /= norm;
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
