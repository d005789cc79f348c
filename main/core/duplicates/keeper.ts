/**
 * Which photo of a duplicate group to keep, and why, in plain words: a photo of a reference folder
 * (reference-folders.ts) first, whatever else; then the largest picture — unless
 * it is an enlargement of a smaller one (then the smaller is the original) — then an original
 * format over a derived one, then richer EXIF, then the less compressed file, then the oldest.
 */
import path from 'node:path';

export interface KeeperFacts {
  path: string;
  width: number | null;
  height: number | null;
  format: string | null;
  size: number;
  mtimeMs: number;
  takenAt: string | null;
  camera: string | null;
  lens: string | null;
  gpsLat: number | null;
  /** The reference folder holding the file (its photos are always kept), or null/absent. */
  referenceFolder?: string | null;
}

/** Camera and editing originals; anything else (WebP, PNG, AVIF, GIF…) is taken as derived. */
const ORIGINAL_FORMATS = new Set(['jpeg', 'jpg', 'heif', 'heic', 'tiff', 'tif', 'dng', 'raw', 'cr2', 'cr3', 'nef', 'arw', 'orf', 'rw2', 'raf']);

export function isOriginalFormat(format: string | null): boolean {
  return format !== null && ORIGINAL_FORMATS.has(format.toLowerCase());
}

function pixels(f: KeeperFacts): number {
  return (f.width ?? 0) * (f.height ?? 0);
}

function exifRichness(f: KeeperFacts): number {
  return [f.takenAt, f.camera, f.lens, f.gpsLat].filter((v) => v !== null && v !== undefined).length;
}

interface Rule {
  /** Positive when a is the better keeper. */
  compare: (a: KeeperFacts, b: KeeperFacts) => number;
  reason: (keeper: KeeperFacts, runnerUp: KeeperFacts) => string;
}

const dims = (f: KeeperFacts) => `${f.width ?? '?'} × ${f.height ?? '?'}`;

/**
 * Whether `big` looks like an enlargement of `small` (a re-export scaled up): at least twice the
 * pixels, in the same format, but its file grew by less than half as much as its pixels did.
 * Enlarging adds pixels, not detail, and smooth pixels compress well; a true larger original
 * carries more detail than its shrunken copies, so its file grows faster than its pixel count.
 */
export function isEnlargementOf(big: KeeperFacts, small: KeeperFacts): boolean {
  const area = pixels(big) / Math.max(1, pixels(small));
  if (area < 2 || !big.format || big.format !== small.format || small.size <= 0) return false;
  return big.size / small.size < area / 2;
}

const kb = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} KB`);

const RULES: Rule[] = [
  {
    compare: (a, b) => Number(!!a.referenceFolder) - Number(!!b.referenceFolder),
    reason: (k) => `in a reference folder (${path.basename(k.referenceFolder ?? '')}): always kept`,
  },
  {
    compare: (a, b) => (isEnlargementOf(a, b) ? -1 : isEnlargementOf(b, a) ? 1 : pixels(a) - pixels(b)),
    reason: (k, r) =>
      isEnlargementOf(r, k)
        ? `the original: the larger ${dims(r)} copy is an enlargement of it, with no more detail`
        : `the largest picture (${dims(k)}; the next is ${dims(r)})`,
  },
  {
    compare: (a, b) => Number(isOriginalFormat(a.format)) - Number(isOriginalFormat(b.format)),
    reason: (k, r) => `same size; ${k.format?.toUpperCase()} is what cameras write, ${r.format?.toUpperCase()} a conversion`,
  },
  {
    compare: (a, b) => exifRichness(a) - exifRichness(b),
    reason: (k, r) => `same size and format; it keeps more of the camera's details (${exifRichness(k)} of date, camera, lens and place; the next ${exifRichness(r)})`,
  },
  {
    compare: (a, b) => a.size - b.size,
    reason: (k, r) => `same size and format; the least compressed (${kb(k.size)}, the next ${kb(r.size)})`,
  },
  {
    compare: (a, b) => b.mtimeMs - a.mtimeMs,
    reason: () => 'identical as far as Likeness can tell; the oldest file',
  },
];

/** Orders candidates best keeper first. */
export function rankKeepers<T extends KeeperFacts>(members: T[]): T[] {
  return [...members].sort((a, b) => {
    for (const rule of RULES) {
      const c = rule.compare(a, b);
      if (c !== 0) return -c;
    }
    return a.path.localeCompare(b.path);
  });
}

export function chooseKeeper<T extends KeeperFacts>(members: T[]): { keeper: T; reason: string } {
  const ranked = rankKeepers(members);
  const keeper = ranked[0];
  if (ranked.length < 2) return { keeper, reason: 'only member' };
  const runnerUp = ranked[1];
  for (const rule of RULES) {
    if (rule.compare(keeper, runnerUp) !== 0) return { keeper, reason: rule.reason(keeper, runnerUp) };
  }
  return { keeper, reason: 'identical as far as Likeness can tell; the first by name' };
}
