/**
 * What a filter did to a copy: the "greyscale", "sepia", "more vivid" or "more contrast" of a
 * group's explanation ("same picture rotated 90°, greyscale").
 *
 * A photo's look is a handful of colour statistics of its thumbnail (decoded once per group
 * member, when the groups are explained: nothing is added at index time). Two copies of one
 * picture differ in these only by what was done to one of them, so the differences name it.
 */
import sharp from 'sharp';

export interface Look {
  /** Mean chroma (max − min channel, 0–1) over the whole picture: near 0 for a grey one. */
  chroma: number;
  /** The same over the central region, where padding, captions and screenshot chrome rarely reach. */
  centreChroma: number;
  /** Spread of the chromaticity (r, g share of r+g+b) of the central region's lit pixels: near 0 for one tint (sepia). */
  tintSpread: number;
  /** Mean of (R − B) over the central region, −1..1: positive for warm (brown) tints. */
  warmth: number;
  /** Standard deviation of luminance over the central region (0–1). */
  contrast: number;
}

const SIDE = 64;

export async function lookOf(file: string): Promise<Look | null> {
  try {
    const { data, info } = await sharp(file).rotate().resize(SIDE, SIDE, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const channels = info.channels;
    const n = info.width * info.height;
    let chroma = 0;
    const centre = { count: 0, chroma: 0, warmth: 0, luma: 0, luma2: 0, lit: 0, cr: 0, cg: 0, cr2: 0, cg2: 0 };
    for (let p = 0; p < n; p++) {
      const r = data[p * channels] / 255;
      const g = channels >= 3 ? data[p * channels + 1] / 255 : r;
      const b = channels >= 3 ? data[p * channels + 2] / 255 : r;
      const c = Math.max(r, g, b) - Math.min(r, g, b);
      chroma += c;
      const x = (p % info.width) / info.width - 0.5;
      const z = Math.floor(p / info.width) / info.height - 0.5;
      if (Math.abs(x) > 0.25 || Math.abs(z) > 0.25) continue;
      const y = 0.299 * r + 0.587 * g + 0.114 * b;
      centre.count++;
      centre.chroma += c;
      centre.warmth += r - b;
      centre.luma += y;
      centre.luma2 += y * y;
      const sum = r + g + b;
      if (y > 0.1) {
        centre.lit++;
        centre.cr += r / sum;
        centre.cg += g / sum;
        centre.cr2 += (r / sum) ** 2;
        centre.cg2 += (g / sum) ** 2;
      }
    }
    const m = centre.count;
    const lit = Math.max(1, centre.lit);
    const variance = (s: number, s2: number, k: number) => Math.max(0, s2 / k - (s / k) ** 2);
    return {
      chroma: chroma / n,
      centreChroma: centre.chroma / m,
      tintSpread: Math.sqrt(variance(centre.cr, centre.cr2, lit) + variance(centre.cg, centre.cg2, lit)),
      warmth: centre.warmth / m,
      contrast: Math.sqrt(variance(centre.luma, centre.luma2, m)),
    };
  } catch {
    return null;
  }
}

/** Chroma below this is a grey picture (JPEG leaves a little colour noise in a greyscale copy). */
const GREY_CHROMA = 0.02;
/** The original must have colour for its copy to be called greyscale or sepia. */
export const COLOURFUL = 0.06;
/** Sepia: one warm tint, its spread a fraction of the original's. */
const SEPIA_SPREAD = 0.35;
/** A ratio (copy over original) that names a contrast or saturation change. */
const MORE = 1.25;

/**
 * The filters that make `copy` look different from `original`, in plain words (empty if none
 * shows). `sameFrame`: both have the same aspect ratio. Only what `npm run bench -- looks` shows is
 * named reliably: a geometric edit (padding, a screenshot, a caption) changes brightness and edges
 * too, so vignettes and brightness are not named.
 */
export function lookChanges(original: Look, copy: Look, sameFrame: boolean): string[] {
  const out: string[] = [];
  const colourful = original.chroma >= COLOURFUL && original.centreChroma >= COLOURFUL;
  // (Both: black padding alone lowers the whole picture's chroma.)
  const grey = copy.chroma < GREY_CHROMA && copy.centreChroma < GREY_CHROMA;
  const sepia = !grey && colourful && copy.warmth > 0.03 && copy.tintSpread < SEPIA_SPREAD * original.tintSpread;
  const contrast = original.contrast > 0 ? copy.contrast / original.contrast : 1;
  const vivid = original.centreChroma > 0 ? copy.centreChroma / original.centreChroma / Math.max(1, contrast) : 1;
  if (colourful && grey) out.push('greyscale');
  else if (sepia) out.push('sepia');
  // Padding and screenshots change what the central region shows (`npm run bench -- looks`: 9:16
  // letterboxes and phone screenshots read as "more contrast" in half the cases), so contrast and
  // saturation are compared only between pictures of the same frame (aspect ratio).
  else if (sameFrame && colourful && vivid >= MORE) out.push('more vivid');
  if (sameFrame && contrast >= MORE) out.push('more contrast');
  return out;
}

/** Aspect ratios within 5 % (log ratio) are one frame (copies padded or screenshotted are not). */
export function sameFrame(a: { width: number | null; height: number | null }, b: { width: number | null; height: number | null }): boolean {
  if (!a.width || !a.height || !b.width || !b.height) return false;
  const ratio = (x: number, y: number) => Math.max(x, y) / Math.min(x, y); // a quarter turn keeps the frame
  return Math.abs(Math.log(ratio(a.width, a.height) / ratio(b.width, b.height))) < 0.05;
}
