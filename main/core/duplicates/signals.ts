/**
 * The per-pair signals of duplicate detection, in forms cheap enough for millions of pairs:
 * 64-bit perceptual hashes as two 32-bit halves (Hamming distance = two popcounts) and raw CNN
 * vectors quantised to 8 bits (1.8 kB a photo instead of 7 kB; cosine error ~1e-3).
 */
import { prepareRaw } from '../search/whitening.js';

/** Parses 16-hex-digit hashes into pairs of uint32 (hi, lo); missing hashes are flagged. */
export class HashTable {
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly present: Uint8Array;

  constructor(hashes: (string | null)[]) {
    const n = hashes.length;
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.present = new Uint8Array(n);
    hashes.forEach((h, i) => {
      if (!h || !/^[0-9a-f]{16}$/i.test(h)) return;
      this.hi[i] = parseInt(h.slice(0, 8), 16) >>> 0;
      this.lo[i] = parseInt(h.slice(8), 16) >>> 0;
      this.present[i] = 1;
    });
  }

  /** Hamming distance between rows i and j; 32 (chance) when either hash is missing. */
  distance(i: number, j: number): number {
    if (!this.present[i] || !this.present[j]) return 32;
    return popcount32(this.hi[i] ^ this.hi[j]) + popcount32(this.lo[i] ^ this.lo[j]);
  }

  /**
   * dHash distance between row i and the mirror image of row j, computed from the hash alone:
   * a dHash row holds the signs of 8 left-to-right gradients, so mirroring reverses each row's
   * bits and inverts them. Small for a flipped copy; chance (32) otherwise.
   */
  mirroredDistance(i: number, j: number): number {
    if (!this.present[i] || !this.present[j]) return 32;
    return popcount32(this.hi[i] ^ mirrorRows(this.hi[j])) + popcount32(this.lo[i] ^ mirrorRows(this.lo[j]));
  }

  /** The 16-bit band `b` (0–3) of row i, for blocking. */
  band(i: number, b: number): number {
    return b < 2 ? (this.hi[i] >>> (b === 0 ? 16 : 0)) & 0xffff : (this.lo[i] >>> (b === 2 ? 16 : 0)) & 0xffff;
  }
}

const REVERSED = Uint8Array.from({ length: 256 }, (_, b) => {
  let r = 0;
  for (let k = 0; k < 8; k++) if (b & (1 << k)) r |= 1 << (7 - k);
  return r;
});

/** Each byte (one dHash row) bit-reversed and inverted. */
function mirrorRows(word: number): number {
  let out = 0;
  for (let k = 0; k < 4; k++) out |= (~REVERSED[(word >>> (8 * k)) & 0xff] & 0xff) << (8 * k);
  return out >>> 0;
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Unit vectors stored as int8 (value × 127), one per key. */
export class QuantisedVectors {
  private readonly rows = new Map<number, Int8Array>();
  private readonly norms = new Map<number, number>();

  get size(): number {
    return this.rows.size;
  }

  has(key: number): boolean {
    return this.rows.has(key);
  }

  /** Stores a raw CNN vector in the comparison space: signed square root, L2-normalised. */
  setRaw(key: number, raw: Float32Array): void {
    this.setUnit(key, prepareRaw(raw));
  }

  /** Stores an already unit-length vector. */
  setUnit(key: number, unit: Float32Array): void {
    const q = new Int8Array(unit.length);
    for (let i = 0; i < unit.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(unit[i] * 127)));
    let norm = 0;
    for (let i = 0; i < q.length; i++) norm += q[i] * q[i];
    this.rows.set(key, q);
    this.norms.set(key, Math.sqrt(norm));
  }

  /** Cosine of two stored vectors; NaN when either is missing. */
  cosine(a: number, b: number): number {
    const x = this.rows.get(a);
    const y = this.rows.get(b);
    if (!x || !y || x.length !== y.length) return Number.NaN;
    // Four integer accumulators: about twice a plain loop (int8 products never overflow 32 bits here).
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i + 3 < x.length; i += 4) {
      s0 = (s0 + x[i] * y[i]) | 0;
      s1 = (s1 + x[i + 1] * y[i + 1]) | 0;
      s2 = (s2 + x[i + 2] * y[i + 2]) | 0;
      s3 = (s3 + x[i + 3] * y[i + 3]) | 0;
    }
    for (; i < x.length; i++) s0 += x[i] * y[i];
    const dot = s0 + s1 + s2 + s3;
    const norms = this.norms.get(a)! * this.norms.get(b)!;
    return norms > 0 ? dot / norms : Number.NaN;
  }
}
