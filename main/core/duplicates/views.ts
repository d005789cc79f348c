/**
 * Rotated and mirrored copies, by the hashes of each photo's eight poses (imaging/view-hashes.ts).
 * A copy whose pixels were turned or flipped has chance-level dHash/pHash against the photo, and
 * its CNN vector moves too; but its own hashes match the photo's hashes in the matching pose.
 * - Candidates: blocking on the 16-bit bands of every pose's hashes against the pose-0 bands of
 *   the others (as find-duplicates blocks on pose 0 alone).
 * - Judging: the pose with the smallest dHash + pHash distance names how to turn one photo to
 *   check it on the other's thumbnail (alignment.ts); the pixel check decides.
 */
import { popcount32 } from './signals.js';
import { POSES } from '../imaging/view-hashes.js';

/** Hash-band buckets larger than this (flat or blank images) are not expanded into pairs. */
const MAX_BUCKET = 24;

export interface PoseMatch {
  /** The pose of the second photo in which it matches the first (1–7; 0 = no better than upright). */
  pose: number;
  /** dHash + pHash distance (of 128) in that pose. */
  distance: number;
}

export class PoseTable {
  /** Per node and pose: dHash hi, lo, pHash hi, lo. */
  private readonly words: Uint32Array;
  readonly present: Uint8Array;

  constructor(viewHashes: (string | null)[]) {
    const n = viewHashes.length;
    this.words = new Uint32Array(n * POSES * 4);
    this.present = new Uint8Array(n);
    viewHashes.forEach((h, i) => {
      if (!h || h.length !== POSES * 32 || !/^[0-9a-f]+$/i.test(h)) return;
      for (let k = 0; k < POSES * 4; k++) this.words[i * POSES * 4 + k] = parseInt(h.slice(8 * k, 8 * k + 8), 16) >>> 0;
      this.present[i] = 1;
    });
  }

  /** dHash + pHash distance between node i upright and node j in pose v; 64 (chance) when missing. */
  distance(i: number, j: number, v: number): number {
    if (!this.present[i] || !this.present[j]) return 64;
    const a = i * POSES * 4;
    const b = (j * POSES + v) * 4;
    let d = 0;
    for (let k = 0; k < 4; k++) d += popcount32(this.words[a + k] ^ this.words[b + k]);
    return d;
  }

  /** The turned or flipped pose of j closest to i upright. */
  bestPose(i: number, j: number): PoseMatch {
    let best: PoseMatch = { pose: 0, distance: this.distance(i, j, 0) };
    for (let v = 1; v < POSES; v++) {
      const d = this.distance(i, j, v);
      if (d < best.distance) best = { pose: v, distance: d };
    }
    return best;
  }

  /** The 16-bit band b (0–7: four of the dHash, four of the pHash) of node i in pose v. */
  private band(i: number, v: number, b: number): number {
    const word = this.words[(i * POSES + v) * 4 + (b >> 1)];
    return (b & 1 ? word : word >>> 16) & 0xffff;
  }

  /**
   * Pairs of nodes (i, j) where some band of i upright equals that band of j turned or flipped,
   * and the hashes in j's best pose are within `maxDistance` (a large library's chance band
   * matches are dropped so: see find-duplicates).
   */
  candidates(add: (i: number, j: number) => void, maxDistance: number): void {
    const n = this.present.length;
    for (let b = 0; b < 8; b++) {
      const buckets = new Map<number, number[]>();
      for (let j = 0; j < n; j++) {
        if (!this.present[j]) continue;
        const seen = new Set<number>();
        for (let v = 1; v < POSES; v++) {
          const key = this.band(j, v, b);
          if (seen.has(key)) continue; // a symmetric picture repeats a band in several poses
          seen.add(key);
          const bucket = buckets.get(key);
          if (bucket) bucket.push(j);
          else buckets.set(key, [j]);
        }
      }
      for (let i = 0; i < n; i++) {
        if (!this.present[i]) continue;
        const bucket = buckets.get(this.band(i, 0, b));
        if (!bucket || bucket.length > MAX_BUCKET) continue;
        for (const j of bucket) if (j !== i && (maxDistance === Infinity || this.bestPose(i, j).distance <= maxDistance)) add(i, j);
      }
    }
  }
}
