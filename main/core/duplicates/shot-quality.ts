/**
 * Which shot of a burst to keep: the sharpest, unless it is clearly worse exposed. Measured on
 * the thumbnails when the groups are explained (nothing is added at index time): sharpness is the
 * mean squared response of a Laplacian on a 128 px grey image (a shaken or misfocused shot loses
 * it first), exposure the share of pixels clipped to black or white.
 */
import sharp from 'sharp';

export interface ShotQuality {
  sharpness: number;
  /** Share of pixels at pure black or pure white (0–1). */
  clipped: number;
}

const SIDE = 128;

export async function shotQualityOf(file: string): Promise<ShotQuality | null> {
  try {
    const { data, info } = await sharp(file).rotate().greyscale().resize(SIDE, SIDE, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
    const w = info.width;
    const h = info.height;
    let energy = 0;
    let clipped = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = data[y * w + x];
        if (v <= 3 || v >= 252) clipped++;
        if (x === 0 || y === 0 || x === w - 1 || y === h - 1) continue;
        const lap = 4 * v - data[y * w + x - 1] - data[y * w + x + 1] - data[(y - 1) * w + x] - data[(y + 1) * w + x];
        energy += lap * lap;
      }
    }
    return { sharpness: energy / ((w - 2) * (h - 2)), clipped: clipped / (w * h) };
  } catch {
    return null;
  }
}

/** A shot this much more clipped than the sharpest is not passed over for it. */
const CLIPPED_WORSE = 0.1;

/** The best shot of `shots` (sharpest, unless clearly worse exposed) and why, in plain words. */
export function bestShot<T>(shots: { item: T; quality: ShotQuality }[]): { item: T; reason: string } | null {
  if (shots.length < 2) return null;
  const leastClipped = Math.min(...shots.map((s) => s.quality.clipped));
  const exposed = shots.filter((s) => s.quality.clipped <= leastClipped + CLIPPED_WORSE);
  const ranked = [...exposed].sort((a, b) => b.quality.sharpness - a.quality.sharpness);
  const best = ranked[0];
  const next = ranked[1] ?? [...shots].filter((s) => s !== best).sort((a, b) => b.quality.sharpness - a.quality.sharpness)[0];
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const sharper = next ? ` (${(best.quality.sharpness / Math.max(1e-9, next.quality.sharpness)).toFixed(1)}× the fine detail of the next)` : '';
  const exposure = best.quality.clipped < 0.02 ? 'well exposed' : `${pct(best.quality.clipped)} of it clipped to black or white`;
  const passedOver = shots.some((s) => !exposed.includes(s) && s.quality.sharpness > best.quality.sharpness) ? '; a sharper one loses too much to over- or under-exposure' : '';
  return { item: best.item, reason: `the sharpest shot of the burst${sharper}, ${exposure}${passedOver}` };
}
