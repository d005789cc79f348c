/**
 * Perceptual hashes of the eight poses of a photo: the four quarter-turn rotations of it and of its
 * mirror image. A copy rotated with the rotation baked into its pixels (no EXIF orientation) or
 * mirrored has, in its own pose, the hashes this photo has in the matching pose, so the duplicate
 * search can reach it by hash and knows which way round to check it (duplicates/views.ts).
 *
 * Computed at index time from the same square greyscale the dHash and pHash come from (the CNN
 * input, squashed to a square: rotating before or after that squash is the same picture), so no
 * extra decode. Stored as one hex string: for each pose 0–7, its dHash then its pHash (32 digits).
 */
import { areaAverage } from './decode.js';
import { dHashFromGrey9x8, lowDct32, pHashFromCoefficients } from './hashes.js';

/** Pose v: mirrored left–right first when v ≥ 4, then turned (v mod 4) quarter turns clockwise. */
export const POSES = 8;
/** Names the pose hashes' recipe: part of the vectors' model id, so libraries indexed before them are re-indexed. */
export const VIEW_HASHES_RECIPE = 'poses8';

export function poseName(v: number): string {
  const turn = (v % 4) * 90;
  const mirror = v >= 4;
  if (!mirror) return turn ? `rotated ${turn}°` : 'same pose';
  return turn ? `mirrored and rotated ${turn}°` : 'mirrored';
}

/** The pose v' such that applying v then v' gives the original pose. */
export function inversePose(v: number): number {
  // Rotations invert to the opposite turn; a mirror followed by any turn is its own inverse.
  return v >= 4 ? v : (4 - v) % 4;
}

/**
 * Index (in `size`×`size` row-major) of the source pixel shown at (x, y) in pose v. Turning
 * clockwise by one quarter: out(x, y) = in(y, size-1-x).
 */
export function poseSource(v: number, x: number, y: number, size: number): number {
  let sx = x;
  let sy = y;
  for (let t = 0; t < v % 4; t++) {
    const nx = sy;
    const ny = size - 1 - sx;
    sx = nx;
    sy = ny;
  }
  if (v >= 4) sx = size - 1 - sx;
  return sy * size + sx;
}

/** The square greyscale image in pose v. */
export function inPose(grey: Float32Array, size: number, v: number): Float32Array {
  if (v === 0) return grey;
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) out[y * size + x] = grey[poseSource(v, x, y, size)];
  return out;
}

/**
 * The eight poses' dHash + pHash, as 8 × 32 hex digits. The hashes' tiny greyscale images are
 * shrunk once (32×32, 9×8 and 8×9) and then turned, which is what shrinking the turned photo
 * gives (up to the rounding of the 9-wide grid's cell borders): 0.1 ms, not 8 full shrinks.
 */
export function viewHashes(grey: Float32Array, size: number, g32 = areaAverage(grey, size, 32, 32)): string {
  const dct = lowDct32(g32);
  const wide = areaAverage(grey, size, 9, 8); // 9 wide, 8 high: pose 0 and the half turn
  const tall = areaAverage(grey, size, 8, 9); // 8 wide, 9 high: turns to 9×8 in the quarter turns
  let out = '';
  for (let v = 0; v < POSES; v++) {
    const odd = v % 2 === 1;
    out += dHashFromGrey9x8(posedGrid(odd ? tall : wide, odd ? 8 : 9, odd ? 9 : 8, v)) + pHashFromCoefficients(posedDct(dct, v));
  }
  return out;
}

/**
 * The pHash's DCT coefficients of the picture in pose v, from those upright: mirroring left–right
 * flips the sign of the odd horizontal frequencies, and a quarter turn clockwise is a transpose
 * (u ↔ k) followed by that mirror. Exact, and one DCT instead of eight.
 */
function posedDct(c: Float64Array, v: number): Float64Array {
  let out = c;
  const mirrorLR = (x: Float64Array) => x.map((value, i) => (i % 8) % 2 ? -value : value);
  if (v >= 4) out = mirrorLR(out);
  for (let t = 0; t < v % 4; t++) {
    const turned = new Float64Array(64);
    for (let u = 0; u < 8; u++) for (let k = 0; k < 8; k++) turned[u * 8 + k] = out[k * 8 + u];
    out = mirrorLR(turned);
  }
  return out;
}

/** A w×h grid in pose v (for odd turns the result is h wide and w high). */
function posedGrid(grid: Uint8Array, w: number, h: number, v: number): Uint8Array {
  if (v === 0) return grid;
  const turns = v % 4;
  const ow = turns % 2 ? h : w;
  const oh = turns % 2 ? w : h;
  const out = new Uint8Array(grid.length);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      // Undo the turns (each quarter clockwise: out(x, y) = in(y, H − 1 − x)), then the mirror.
      let sx = x;
      let sy = y;
      let cw = ow;
      let ch = oh;
      for (let t = 0; t < turns; t++) {
        const nx = sy;
        const ny = cw - 1 - sx;
        sx = nx;
        sy = ny;
        [cw, ch] = [ch, cw];
      }
      if (v >= 4) sx = w - 1 - sx;
      out[y * ow + x] = grid[sy * w + sx];
    }
  }
  return out;
}

/** compose(p, q): the one pose that turns a picture as pose p then pose q do. */
export function composePoses(p: number, q: number): number {
  return COMPOSE[p * POSES + q];
}

const COMPOSE = (() => {
  // Worked out on a 3×3 picture of distinct values, on which the eight poses all differ.
  const probe = Float32Array.from({ length: 9 }, (_, i) => i);
  const key = (g: Float32Array) => g.join(',');
  const byKey = new Map<string, number>();
  for (let v = 0; v < POSES; v++) byKey.set(key(inPose(probe, 3, v)), v);
  const table = new Int8Array(POSES * POSES);
  for (let p = 0; p < POSES; p++) for (let q = 0; q < POSES; q++) table[p * POSES + q] = byKey.get(key(inPose(inPose(probe, 3, p), 3, q)))!;
  return table;
})();
