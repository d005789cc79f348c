/**
 * A pixel check for pairs the signals leave uncertain: is one picture (up to a crop, a rescale and
 * a brightness/contrast change) the other? The smaller-field picture is searched for inside the
 * other over scale (100 % down to 74 % of the side, i.e. crops of up to 26 %) and position, on
 * small greyscale versions of the thumbnails, and the best normalised cross-correlation (which
 * ignores brightness and contrast) is the answer. Distinct shots of the same subject, even
 * framed alike, stay well below re-encoded or cropped copies (see thresholds.ts).
 */
import sharp from 'sharp';

/** Long side of the greyscale working image. */
const SIZE = 96;
/** Long side of the comparison grid (and of the coarse search's grid). */
const GRID = 24;
const COARSE_GRID = 16;
/** Coarse placements refined. */
const KEEP = 3;
/** Below this coarse intensity correlation a placement is not refined (copies reach 0.9+). */
const COARSE_GIVE_UP = 0.6;
const MIN_SCALE = 0.74;
/**
 * Inset search (a photo padded to another aspect on a plain or blurred background, or shown in a
 * screenshot with UI around it): the photo may fill as little as this much of the other's side…
 */
const INSET_MIN_SCALE = 0.3;
/** …as long as it fills at least this much of its width or of its height. */
const INSET_FILL = 0.7;
const SCALE_STEP = 0.02;
const POSITION_STEP = 1.5;

export interface GreyImage {
  width: number;
  height: number;
  pixels: Float32Array;
}

export async function loadGrey(file: string): Promise<GreyImage | null> {
  try {
    const { data, info } = await sharp(file, { failOn: 'none' })
      .rotate()
      .greyscale()
      .resize(SIZE, SIZE, { fit: 'inside' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width < 8 || info.height < 8) return null;
    const pixels = new Float32Array(info.width * info.height);
    for (let i = 0; i < pixels.length; i++) pixels[i] = data[i * info.channels];
    return { width: info.width, height: info.height, pixels };
  } catch {
    return null;
  }
}

export interface Alignment {
  /** Correlation of the intensities at the best placement (finds the placement). */
  intensity: number;
  /** Correlation of the high-pass detail at that placement (decides): blurry or flat pictures
   *  correlate in intensity by chance, their fine detail does not. */
  detail: number;
  /** The best placement was found with one picture mirrored left–right. */
  mirrored?: boolean;
}

/** Below this detail correlation the mirrored placement is tried too. */
const TRY_MIRROR_BELOW = 0.75;

/**
 * The best placement of either picture inside the other; if that does not match in detail,
 * also with one of them mirrored (a flipped export is the same picture), unless `mirror: false`.
 */
export function alignmentScore(a: GreyImage, b: GreyImage, options: { mirror?: boolean; inset?: boolean } = {}): Alignment {
  if (options.inset) {
    // Padding on a plain colour goes: two copies padded differently are then one inside the other.
    a = trimPlainBorders(a);
    b = trimPlainBorders(b);
  }
  const direct = bestBothWays(a, b, options.inset === true);
  if (direct.detail >= TRY_MIRROR_BELOW || options.mirror === false) return direct;
  const flipped = bestBothWays(a, mirror(b), options.inset === true);
  return flipped.detail > direct.detail ? { ...flipped, mirrored: true } : direct;
}

function bestBothWays(a: GreyImage, b: GreyImage, inset: boolean): Alignment {
  const x = bestInside(a, b, inset);
  const y = bestInside(b, a, inset);
  return x.intensity >= y.intensity ? x : y;
}

/**
 * The picture in pose v (view-hashes.ts): mirrored left–right when v ≥ 4, then turned (v mod 4)
 * quarter turns clockwise; the sides swap on odd turns.
 */
export function posed(img: GreyImage, v: number): GreyImage {
  let out = v >= 4 ? mirror(img) : img;
  for (let t = 0; t < v % 4; t++) out = quarterTurn(out);
  return out;
}

/** Turned a quarter clockwise: out(x, y) = in(y, height − 1 − x). */
function quarterTurn(img: GreyImage): GreyImage {
  const { width, height } = img;
  const pixels = new Float32Array(img.pixels.length);
  for (let y = 0; y < width; y++) for (let x = 0; x < height; x++) pixels[y * height + x] = img.pixels[(height - 1 - x) * width + y];
  return { width: height, height: width, pixels };
}

/** Below this spread a border row or column is plain padding (letterbox bars, a white frame). */
const PLAIN_SPREAD = 6;

/** The picture without the plain-coloured rows and columns along its edges (at most 80 % of a side). */
export function trimPlainBorders(img: GreyImage): GreyImage {
  const { width, height, pixels } = img;
  const plain = (values: (k: number) => number, count: number) => {
    let min = Infinity;
    let max = -Infinity;
    for (let k = 0; k < count; k++) {
      const v = values(k);
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return max - min < PLAIN_SPREAD;
  };
  const row = (y: number) => plain((k) => pixels[y * width + k], width);
  const column = (x: number) => plain((k) => pixels[k * width + x], height);
  let top = 0;
  let bottom = height;
  let left = 0;
  let right = width;
  while (bottom - top > height * 0.2 && row(top)) top++;
  while (bottom - top > height * 0.2 && row(bottom - 1)) bottom--;
  while (right - left > width * 0.2 && column(left)) left++;
  while (right - left > width * 0.2 && column(right - 1)) right--;
  if (top === 0 && left === 0 && bottom === height && right === width) return img;
  const w = right - left;
  const h = bottom - top;
  if (w < 8 || h < 8) return img;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) out.set(pixels.subarray((top + y) * width + left, (top + y) * width + right), y * w);
  return { width: w, height: h, pixels: out };
}

function mirror(img: GreyImage): GreyImage {
  const pixels = new Float32Array(img.pixels.length);
  for (let y = 0; y < img.height; y++) {
    const row = y * img.width;
    for (let x = 0; x < img.width; x++) pixels[row + x] = img.pixels[row + img.width - 1 - x];
  }
  return { width: img.width, height: img.height, pixels };
}

interface Placement {
  scale: number;
  x: number;
  y: number;
  score: number;
}

/** Best placement of all of `small` inside a region of `big`: coarse grid, then refined. */
function bestInside(big: GreyImage, small: GreyImage, inset = false): Alignment {
  const minScale = inset ? INSET_MIN_SCALE : MIN_SCALE;
  const aspect = small.width / small.height;
  const gridOf = (long: number) =>
    small.width >= small.height
      ? { gw: long, gh: Math.max(6, Math.round((long * small.height) / small.width)) }
      : { gw: Math.max(6, Math.round((long * small.width) / small.height)), gh: long };
  const coarse = gridOf(COARSE_GRID);
  const fine = gridOf(GRID);

  const region = (scale: number) => {
    let w = big.width * scale;
    let h = w / aspect;
    if (h > big.height * scale) {
      h = big.height * scale;
      w = h * aspect;
    }
    // The region must keep most of big's field (rules out thin slivers).
    const fw = w / big.width;
    const fh = h / big.height;
    if (inset) {
      if (Math.min(fw, fh) < INSET_MIN_SCALE - 1e-6 || Math.max(fw, fh) < INSET_FILL - 1e-6) return null;
    } else if (fw < MIN_SCALE - 1e-6 || fh < MIN_SCALE - 1e-6) return null;
    return { w, h };
  };
  const scorer = (grid: { gw: number; gh: number }) => {
    const target = new Float32Array(grid.gw * grid.gh);
    sampleInto(target, small, 0, 0, small.width, small.height, grid.gw, grid.gh);
    const raw = Float32Array.from(target);
    normaliseInPlace(target);
    const probe = new Float32Array(target.length);
    const score = (scale: number, x: number, y: number): number => {
      const r = region(scale);
      if (!r) return -1;
      // Placements past an edge are pulled back onto it (a corner crop sits exactly there).
      x = Math.max(0, Math.min(big.width - r.w, x));
      y = Math.max(0, Math.min(big.height - r.h, y));
      sampleInto(probe, big, x, y, r.w, r.h, grid.gw, grid.gh);
      normaliseInPlace(probe);
      let s = 0;
      for (let i = 0; i < probe.length; i++) s += probe[i] * target[i];
      return s;
    };
    return { score, raw };
  };

  // Coarse: a small grid over every second scale step and every second position step.
  const c = scorer(coarse);
  const top: Placement[] = [];
  for (let scale = 1; scale >= minScale - 1e-9; scale -= 2 * SCALE_STEP) {
    const r = region(scale);
    if (!r) continue;
    for (const y of positions(big.height - r.h, 2 * POSITION_STEP)) {
      for (const x of positions(big.width - r.w, 2 * POSITION_STEP)) {
        const s = c.score(scale, x, y);
        if (top.length < KEEP || s > top[top.length - 1].score) {
          top.push({ scale, x, y, score: s });
          top.sort((p, q) => q.score - p.score);
          if (top.length > KEEP) top.pop();
        }
      }
    }
  }
  // Copies correlate above 0.9 already on the coarse grid; far below, refining cannot save it.
  if (top.length === 0 || top[0].score < COARSE_GIVE_UP) return { intensity: top[0]?.score ?? -1, detail: -1 };
  // Fine: the full grid around the best coarse placements, at half steps.
  const f = scorer(fine);
  let best: Placement = { scale: 1, x: 0, y: 0, score: -1 };
  for (const p of top) {
    for (let ds = -SCALE_STEP; ds <= SCALE_STEP + 1e-9; ds += SCALE_STEP / 2) {
      const scale = Math.min(1, p.scale + ds);
      for (let dy = -POSITION_STEP; dy <= POSITION_STEP + 1e-9; dy += POSITION_STEP / 2) {
        for (let dx = -POSITION_STEP; dx <= POSITION_STEP + 1e-9; dx += POSITION_STEP / 2) {
          const s = f.score(scale, p.x + dx, p.y + dy);
          if (s > best.score) best = { scale, x: p.x + dx, y: p.y + dy, score: s };
        }
      }
    }
  }
  // Detail at the best placement.
  const r = region(best.scale);
  if (!r || best.score < 0) return { intensity: best.score, detail: -1 };
  const probe = new Float32Array(fine.gw * fine.gh);
  const bx = Math.max(0, Math.min(big.width - r.w, best.x));
  const by = Math.max(0, Math.min(big.height - r.h, best.y));
  sampleInto(probe, big, bx, by, r.w, r.h, fine.gw, fine.gh);
  const detail = dotNormalised(highPass(probe, fine.gw, fine.gh), highPass(f.raw, fine.gw, fine.gh));
  return { intensity: best.score, detail };
}

/** 0, step, 2·step… and always the far end itself. */
function positions(max: number, step: number): number[] {
  const out: number[] = [];
  for (let v = 0; v < max - 1e-6; v += step) out.push(v);
  out.push(Math.max(0, max));
  return out;
}

/** Bilinear samples of a region of `img` on a gw×gh grid. */
function sampleInto(out: Float32Array, img: GreyImage, x0: number, y0: number, w: number, h: number, gw: number, gh: number): void {
  const { width, height, pixels } = img;
  for (let gy = 0; gy < gh; gy++) {
    const y = y0 + ((gy + 0.5) * h) / gh - 0.5;
    const yi = Math.max(0, Math.min(height - 2, Math.floor(y)));
    const fy = Math.max(0, Math.min(1, y - yi));
    for (let gx = 0; gx < gw; gx++) {
      const x = x0 + ((gx + 0.5) * w) / gw - 0.5;
      const xi = Math.max(0, Math.min(width - 2, Math.floor(x)));
      const fx = Math.max(0, Math.min(1, x - xi));
      const r = yi * width + xi;
      const top = pixels[r] + (pixels[r + 1] - pixels[r]) * fx;
      const bottom = pixels[r + width] + (pixels[r + width + 1] - pixels[r + width]) * fx;
      out[gy * gw + gx] = top + (bottom - top) * fy;
    }
  }
}

/** The grid minus its 3×3 local mean: fine detail only. */
function highPass(v: Float32Array, gw: number, gh: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      let sum = 0;
      let count = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= gh) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= gw) continue;
          sum += v[yy * gw + xx];
          count++;
        }
      }
      out[y * gw + x] = v[y * gw + x] - sum / count;
    }
  }
  return out;
}

/** Zero mean, unit norm (then a dot product is the correlation). */
function normaliseInPlace(v: Float32Array): void {
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i];
  mean /= v.length;
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] -= mean;
    norm += v[i] * v[i];
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= norm;
}

function dotNormalised(a: Float32Array, b: Float32Array): number {
  normaliseInPlace(a);
  normaliseInPlace(b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
