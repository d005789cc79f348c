/**
 * 64-bit perceptual hashes, as 16-digit hex strings.
 * dHash: sign of horizontal gradients on a 9×8 greyscale; robust to scaling and re-encoding.
 * pHash: signs of the 8×8 lowest DCT frequencies of a 32×32 greyscale against their median;
 * robust to brightness and contrast changes. Together they catch what either alone misses.
 */

/** grey: 9×8 greyscale pixels, row-major. */
export function dHashFromGrey9x8(grey: Uint8Array): string {
  let bits = '';
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) bits += grey[y * 9 + x] < grey[y * 9 + x + 1] ? '1' : '0';
  }
  return bitsToHex(bits);
}

const N = 32;
const COS = (() => {
  const table = new Float64Array(N * N);
  for (let k = 0; k < N; k++) {
    for (let n = 0; n < N; n++) table[k * N + n] = Math.cos(((2 * n + 1) * k * Math.PI) / (2 * N));
  }
  return table;
})();

/** grey: 32×32 greyscale pixels, row-major. */
export function pHashFromGrey32(grey: Uint8Array): string {
  return pHashFromCoefficients(lowDct32(grey));
}

/** The 8×8 lowest DCT-II frequencies of a 32×32 greyscale (row u: vertical, column k: horizontal). */
export function lowDct32(grey: Uint8Array): Float64Array {
  // Separable 2-D DCT-II, keeping only the 8×8 low-frequency corner.
  const rows = new Float64Array(N * 8); // rows[y][k] for k < 8
  for (let y = 0; y < N; y++) {
    for (let k = 0; k < 8; k++) {
      let sum = 0;
      for (let x = 0; x < N; x++) sum += grey[y * N + x] * COS[k * N + x];
      rows[y * 8 + k] = sum;
    }
  }
  const coefficients = new Float64Array(64);
  for (let u = 0; u < 8; u++) {
    for (let k = 0; k < 8; k++) {
      let sum = 0;
      for (let y = 0; y < N; y++) sum += rows[y * 8 + k] * COS[u * N + y];
      coefficients[u * 8 + k] = sum;
    }
  }
  return coefficients;
}

export function pHashFromCoefficients(coefficients: Float64Array): string {
  // The DC term only measures overall brightness: leave it out of the median.
  const median = [...coefficients.slice(1)].sort((a, b) => a - b)[31];
  let bits = '';
  for (let i = 0; i < 64; i++) bits += coefficients[i] > median ? '1' : '0';
  return bitsToHex(bits);
}

function bitsToHex(bits: string): string {
  let hex = '';
  for (let i = 0; i < 64; i += 4) hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}

const POPCOUNT4 = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/** Number of differing bits between two 16-digit hex hashes. */
export function hammingDistance(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < 16; i++) distance += POPCOUNT4[parseInt(a[i], 16) ^ parseInt(b[i], 16)];
  return distance;
}
