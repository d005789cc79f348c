/** The little dense linear algebra whitening needs: a symmetric eigensolver, Gram–Schmidt, Gaussians. */

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major, not modified): Householder
 * reduction to tridiagonal form, then the implicit QL algorithm (EISPACK tred2/tql2, as in JAMA).
 * Returns eigenvalues in descending order and the matching eigenvectors as rows.
 * O(n³) once, not per sweep: on the 272×272 problem of a 256-d whitening fit it replaced cyclic
 * Jacobi (~1 s) at a few tens of milliseconds.
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = Float64Array.from(matrix); // v[r * n + c]; symmetric, so rows and columns agree
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  householderTridiagonal(v, d, e, n);
  // v's columns are the basis; QL rotates pairs of them. Work on the transpose so a rotation
  // touches two contiguous rows.
  const w = transpose(v, n);
  tridiagonalQl(w, d, e, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y] - d[x]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = d[from];
    vectors.set(w.subarray(from * n, from * n + n), to * n);
  });
  return { values, vectors };
}

function transpose(m: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) t[c * n + r] = m[r * n + c];
  return t;
}

/** tred2: v (in: the matrix, out: the orthogonal basis as columns), d diagonal, e sub-diagonal. */
function householderTridiagonal(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  const at = (r: number, c: number) => r * n + c;
  for (let j = 0; j < n; j++) d[j] = v[at(n - 1, j)];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[at(i - 1, j)];
        v[at(i, j)] = 0;
        v[at(j, i)] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        v[at(j, i)] = f;
        g = e[j] + v[at(j, j)] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[at(k, j)] * d[k];
          e[k] += v[at(k, j)] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) v[at(k, j)] -= f * e[k] + g * d[k];
        d[j] = v[at(i - 1, j)];
        v[at(i, j)] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    v[at(n - 1, i)] = v[at(i, i)];
    v[at(i, i)] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[at(k, i + 1)] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[at(k, i + 1)] * v[at(k, j)];
        for (let k = 0; k <= i; k++) v[at(k, j)] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[at(k, i + 1)] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[at(n - 1, j)];
    v[at(n - 1, j)] = 0;
  }
  v[at(n - 1, n - 1)] = 1;
  e[0] = 0;
}

/** tql2 on the tridiagonal (d, e); w holds the basis as rows and is rotated along. */
function tridiagonalQl(w: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      for (let iteration = 0; iteration < 100; iteration++) {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const ri = i * n;
          const rj = ri + n;
          for (let k = 0; k < n; k++) {
            const x = w[rj + k];
            w[rj + k] = s * w[ri + k] + c * x;
            w[ri + k] = c * w[ri + k] - s * x;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (Math.abs(e[l]) <= eps * tst1) break;
      }
    }
    d[l] += f;
    e[l] = 0;
  }
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
