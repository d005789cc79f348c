/**
 * The duplicate detector's thresholds: settings with calibrated defaults, stored in the library's
 * `settings` table (key `duplicates`, JSON) so that a user can loosen or tighten them.
 *
 * How the defaults were calibrated (see also bench/duplicates.ts and the tests):
 * the 100 ferrari-100 photos (1024 px, several near-identical shots of the same cars) plus five
 * edited copies of each (resized to 512 px, JPEG quality 30, 6 % border crop, +15 % brightness,
 * WebP re-encode), and a second, held-out set of seven combined edits (crop + brightness,
 * half size + q30, WebP + crop, q30 + brightness, 320 px WebP q60, 8 % crop + q50, darker PNG).
 * For every pair we measured dHash and pHash Hamming distances and the cosine of the raw CNN
 * vectors (signed square root + L2, no whitening: a library-independent scale).
 * - Single signals fail: crops move dHash/pHash to 12–24 bits, where distinct photos start
 *   (≥ 14); distinct shots of the same car reach CNN cosine 0.91, where crops end (≥ 0.86).
 * - Distinct photos that are close in one signal are far in the other, so a weighted sum
 *   separates them: distance = (1 − cosine) + 0.5 × (dHash + pHash) / 128.
 *   Single edits: copies ≤ 0.252, distinct ≥ 0.273. Combined edits: 99 % of copy pairs ≤ 0.258,
 *   distinct ≥ 0.267. The weight 0.5 maximised recall at 99 % precision (0.3–0.7 all within 0.1 %).
 * - In the uncertain band (0.20–0.34) the pair is checked on the thumbnails: the smaller picture is
 *   searched for in the larger over scale (crops up to 26 %) and position, and the best normalised
 *   cross-correlation decides (copies ≥ 0.93 on single edits, distinct ≤ 0.885): ≥ 0.91 is near.
 * Similar shots (bursts): CNN cosine ≥ 0.80 and taken within 10 minutes of each other (both need
 * EXIF times), or cosine ≥ 0.90 when a time is missing. No burst set was available to calibrate
 * these; they are conservative and adjustable.
 */
import type { Db } from '../store/database.js';

export interface DuplicateThresholds {
  /** Weight of the perceptual hashes in the near distance. */
  hashWeight: number;
  /** Near distance at or below which a pair is near without further checks. */
  nearSure: number;
  /** Near distance threshold used when a pair cannot be checked on its thumbnails. */
  near: number;
  /** Upper end of the band in which pairs are checked on their thumbnails. */
  nearBand: number;
  /** A band pair is near when, at the best placement of one thumbnail in the other, the fine
   *  detail (high-pass) correlates at least this much… */
  alignmentDetail: number;
  /** …and the intensities at least this much. */
  alignmentIntensity: number;
  /** Similar shots: minimum raw CNN cosine when both photos have EXIF times within `similarSeconds`. */
  similarCosine: number;
  similarSeconds: number;
  /** Similar shots: minimum raw CNN cosine when a time is missing. */
  similarCosineNoTime: number;
  /** Neighbours looked at per photo in the CNN index. */
  neighbours: number;
}

export const DEFAULT_THRESHOLDS: DuplicateThresholds = {
  hashWeight: 0.5,
  nearSure: 0.2,
  near: 0.235,
  nearBand: 0.3,
  alignmentDetail: 0.75,
  alignmentIntensity: 0.8,
  similarCosine: 0.8,
  similarSeconds: 600,
  similarCosineNoTime: 0.9,
  neighbours: 10,
};

const KEY = 'duplicates';

export function loadThresholds(db: Db): DuplicateThresholds {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
  if (!row) return { ...DEFAULT_THRESHOLDS };
  try {
    return sanitise({ ...DEFAULT_THRESHOLDS, ...(JSON.parse(row.value) as Partial<DuplicateThresholds>) });
  } catch {
    return { ...DEFAULT_THRESHOLDS };
  }
}

/**
 * Changes some thresholds. Moving `near` alone moves the whole uncertain band with it (the sure
 * threshold and the band's end keep their distances to it), so one knob tightens or loosens the
 * near tier as a whole.
 */
export function saveThresholds(db: Db, patch: Partial<DuplicateThresholds>): DuplicateThresholds {
  const current = loadThresholds(db);
  const shifted: Partial<DuplicateThresholds> = { ...patch };
  if (patch.near !== undefined && Number.isFinite(patch.near)) {
    const delta = patch.near - current.near;
    if (patch.nearSure === undefined) shifted.nearSure = Math.max(0, current.nearSure + delta);
    if (patch.nearBand === undefined) shifted.nearBand = current.nearBand + delta;
  }
  const next = sanitise({ ...current, ...shifted });
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(next));
  return next;
}

function sanitise(t: DuplicateThresholds): DuplicateThresholds {
  const out = { ...DEFAULT_THRESHOLDS };
  for (const key of Object.keys(DEFAULT_THRESHOLDS) as (keyof DuplicateThresholds)[]) {
    const v = Number(t[key]);
    if (Number.isFinite(v) && v >= 0) out[key] = v;
  }
  out.neighbours = Math.max(1, Math.min(100, Math.round(out.neighbours)));
  out.nearSure = Math.min(out.nearSure, out.near);
  out.nearBand = Math.max(out.nearBand, out.near);
  return out;
}
