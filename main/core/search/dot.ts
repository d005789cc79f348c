/** a[ai..ai+d) · b[bi..bi+d), with four independent accumulators (about 2× a plain loop). */
export function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    s0 += a[ai + j] * b[bi + j];
    s1 += a[ai + j + 1] * b[bi + j + 1];
    s2 += a[ai + j + 2] * b[bi + j + 2];
    s3 += a[ai + j + 3] * b[bi + j + 3];
  }
  for (; j < d; j++) s0 += a[ai + j] * b[bi + j];
  return s0 + s1 + s2 + s3;
}
