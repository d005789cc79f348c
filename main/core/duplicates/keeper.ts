/**
 * Which photo of a duplicate group to keep, and why: highest resolution, then an original format
 * over a derived one, then richer EXIF, then the larger file, then the oldest file.
 */

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

const dims = (f: KeeperFacts) => `${f.width ?? '?'}×${f.height ?? '?'}`;

const RULES: Rule[] = [
  {
    compare: (a, b) => pixels(a) - pixels(b),
    reason: (k, r) => `highest resolution (${dims(k)}, next best ${dims(r)})`,
  },
  {
    compare: (a, b) => Number(isOriginalFormat(a.format)) - Number(isOriginalFormat(b.format)),
    reason: (k, r) => `same resolution; original format (${k.format}) over derived (${r.format})`,
  },
  {
    compare: (a, b) => exifRichness(a) - exifRichness(b),
    reason: (k, r) => `same resolution and format kind; richer EXIF (${exifRichness(k)} of 4 fields, next best ${exifRichness(r)})`,
  },
  {
    compare: (a, b) => a.size - b.size,
    reason: (k, r) => `same resolution, format kind and EXIF; larger file (${k.size} bytes, next ${r.size})`,
  },
  {
    compare: (a, b) => b.mtimeMs - a.mtimeMs,
    reason: () => 'alike in resolution, format, EXIF and size; the oldest file',
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
  return { keeper, reason: 'all alike; the first by path' };
}
