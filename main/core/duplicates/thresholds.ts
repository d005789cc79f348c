/**
 * The duplicate detector's thresholds: settings with calibrated defaults, stored in the library's
 * `settings` table (key `duplicates`, JSON) so that a user can loosen or tighten them.
 *
 * How the defaults were calibrated. Each figure below names the command that measures it again,
 * and the bench prints today's values: all but the similar shots' were measured before the vectors
 * became R-MAC pooled (commit 12c1a5e), and are kept here as they were found.
 * Sets (`npm run bench -- dupes-calibration`, bench/dupes-calibration.ts), generated with sharp in a
 * temporary folder:
 * - "edits": the 100 ferrari-100 photos (1024 px; several are different shots of the same car)
 *   plus five edited copies of each: 512 px resize, JPEG quality 30, 6 % border crop, +15 %
 *   brightness, WebP re-encode (600 photos, 1,500 true pairs);
 * - "combos", held out: seven combined edits of each (crop 6 % + brightness, half size + q30,
 *   WebP + crop, q30 + brightness, 320 px WebP q60, crop 8 % + q50, darker PNG);
 * - "extra", held out: 12 % corner crop, 256 px q50, greyscale, mirror, contrast, blur;
 * - cifar10-test-1000: 1,000 distinct tiny photos (one mirrored pair among them).
 * For every pair we measured dHash and pHash Hamming distances and the cosine of the raw CNN
 * vectors (signed square root + L2, no whitening: a scale that does not depend on the library).
 * - Single signals fail: a 6 % crop moves dHash/pHash to 12–24 bits, where distinct photos
 *   start (14); distinct shots of the same car reach a CNN cosine that crops fall below.
 * - Distinct photos that are close in one signal are far in the other, so a weighted sum
 *   separates them: distance = (1 − cosine) + 0.5 × (dHash + pHash) / 128. Edits: copies
 *   ≤ 0.199, distinct ≥ 0.265. Combos: 99 % of copy pairs ≤ 0.228, distinct ≥ 0.247. The weight
 *   0.5 maximised recall at 99 % precision (0.3–0.7 within 0.1 %). (All three: the bench's "near
 *   distance" and "recall at 99 % precision by hash weight" lines.)
 * - Pairs in the uncertain band 0.20–0.30 are checked on their thumbnails (alignment.ts): the
 *   picture is searched for inside the other over crop, scale and position, and the fine detail
 *   (high-pass) must correlate at the best placement. Copies: detail ≥ 0.88, intensity ≥ 0.93;
 *   distinct ferrari pairs: detail ≤ 0.43, intensity ≤ 0.88; cifar: detail ≤ 0.34 but for one
 *   pair of near-identical shots at 0.66, hence 0.75. Inside a forming group the check also
 *   covers pairs up to 0.42, since two edits of one photo can be further apart than either is
 *   from the original. (No command prints these alignment scores: they were read off alignment.ts
 *   on the band pairs of these sets once; the bench shows their effect, in the line below.)
 * Measured with `likeness dupes` (exact + near; the bench's first line per set): edits precision
 * 1.000 / recall 1.000; combos 1.000 / 1.000; extra 1.000 / 0.923 (misses: mirror + corner crop
 * together); cifar: one group, the mirrored pair. (A plain 64-bit dHash got 0.987 precision at
 * 0.713 recall on such sets: a one-off comparison, no command.)
 * Everyday copies (issue 12; `npm run bench -- dupes-edits`, tests/helpers/everyday-edits.ts): 20
 * kinds (messenger re-encodes, baked-in quarter turns, mirror, greyscale, sepia, contrast, vivid,
 * vignette, crops to 20 %, letterbox / pillarbox on black, white or blur, caption, stamp,
 * watermark, sticker, screenshots with UI, WebP/AVIF, combinations) of 20 ferrari-100 and caltech
 * photos among 30 distractors of the same cars and categories; a held-out part with other photos
 * and other parameters. Today's signals reach pairwise recall 0.35 there (rotations 0). Added:
 * pose hashes (a plainly turned or mirrored copy's hashes are within 0–12 bits of the photo's in
 * that pose; `poseDistance` 36 only decides which pairs the pixel check sees, the check decides);
 * an inset check for pairs at CNN cosine ≥ 0.75 when the aspect ratios differ (`insetCosine`),
 * ≥ 0.88 when they are the same (`insetCosineSameAspect`; padded, screenshotted and deeply
 * cropped copies were seen at 0.73–0.96 against their photo, the rest reached through a common
 * member); alignment of 0.6 tolerated inside a group (`alignmentTolerated`: copies edited apart,
 * e.g. turned against stickered, were seen at 0.73; distinct photos ≤ 0.43, above).
 * Figures per kind, tuning and held-out: the bench prints them, today's signals beside. Held-out,
 * pairwise: precision 1.000, recall 0.907 (today's signals 1.000 / 0.375); the misses are
 * padding to 1:1 on white (0.70), phone screenshots (0.60) and 9:16 letterboxes (0.80). cifar10
 * (`npm run bench -- dupes-calibration`, its cifar line): the same two groups as before (the
 * mirrored pair and a ship pair at distance 0.19), with 5× the pixel checks (3,991 against 774
 * without the view signals), which the alignment cache keeps for the next run.
 * Similar shots (bursts; `npm run bench -- bursts`, tests/helpers/burst-set.ts): a virtual camera
 * panning, zooming, re-exposing and shaking over 10 caltech photos, EXIF times 1–8 s apart, beside
 * the same place three days later and five other photos of each category (two the same day, hours
 * apart; three without a time). Two photos whose EXIF times differ are two captures, never near
 * copies (find-duplicates.ts): before that rule the same-place-other-day shots joined their burst
 * as "near" copies in 10 of 10 scenes (tuning P 0.31 R 0.47), after it in 0. Grid on the tuning
 * part with the R-MAC vectors (cosine 0.55 / 0.6 / 0.65 / 0.7 / 0.8 within 60 s × no-time cosine
 * 0.9 / 0.95; 60 s and 600 s tied on the earlier vectors, bursts being seconds apart): cosine 0.60
 * gives P 0.905 R 0.950 against 0.70's P 0.895 R 0.850 (0.55 ties 0.60; the higher is kept), since
 * a shaken shot falls to 0.76–0.81 against the others; no-time cosine 0.95 drops one wrong
 * same-kind join of 0.90 at no recall cost. (A near group may leave a fifth of its pairs
 * unverified, never a pair of two captures: before that, a same-day photo joined a burst's first
 * shot through the look-alikes, P 0.792.) Held-out part: P 1.000 R 1.000 (at 0.70: R 0.950).
 * The joins left are caltech photos without a time that the near tier itself groups (catalogue
 * motorbikes on white), not the similar rule.
 */
import type { Db } from '../store/database.js';
import { SettingsRepository } from '../store/settings-repository.js';

export interface DuplicateThresholds {
  /** Weight of the perceptual hashes in the near distance. */
  hashWeight: number;
  /** Near distance at or below which a pair is near without further checks. */
  nearSure: number;
  /** Near distance threshold used when a pair cannot be checked on its thumbnails. */
  near: number;
  /** Upper end of the band in which pairs are checked on their thumbnails. */
  nearBand: number;
  /** Inside a group being formed, pairs up to this distance are checked too (two edits of one
   *  picture can be further apart than either is from the original). */
  linkBand: number;
  /** A band pair is near when, at the best placement of one thumbnail in the other, the fine
   *  detail (high-pass) correlates at least this much… */
  alignmentDetail: number;
  /** …and the intensities at least this much. */
  alignmentIntensity: number;
  /** A mirrored match is only looked for when the CNN cosine is at least this (the CNN vectors
   *  average a photo and its mirror image, so a flipped copy scores like an unflipped one) or
   *  when the dHash matches the other photo's mirror image. */
  mirrorCosine: number;
  /** Similar shots: minimum raw CNN cosine when both photos have EXIF times within `similarSeconds`. */
  similarCosine: number;
  similarSeconds: number;
  /** Similar shots: minimum raw CNN cosine when a time is missing. */
  similarCosineNoTime: number;
  /** Neighbours looked at per photo in the CNN index. */
  neighbours: number;
  /** 1: also look for turned and flipped copies by the hashes of each photo's eight poses
   *  (duplicates/views.ts); 0: today's signals only (the bench's baseline). */
  viewSignals: number;
  /** A pair whose dHash + pHash distance (of 128) in the best turned or flipped pose is at most
   *  this is checked on its thumbnails in that pose. */
  poseDistance: number;
  /** A pair this alike to the CNN (raw cosine) that the hashes do not vouch for is checked on its
   *  thumbnails as one picture inset in the other (padding, screenshots, deep crops). */
  insetCosine: number;
  /** …and at this cosine when both have the same aspect ratio (centre crops keep it; so do distinct
   *  shots of one camera, which are most alike pairs). */
  insetCosineSameAspect: number;
  /** Inside a group of near copies, a pair whose fine detail still correlates this much at the
   *  best placement does not keep the group apart (distinct photos: ≤ 0.43, see above). */
  alignmentTolerated: number;
}

export const DEFAULT_THRESHOLDS: DuplicateThresholds = {
  hashWeight: 0.5,
  nearSure: 0.2,
  near: 0.235,
  nearBand: 0.3,
  linkBand: 0.42,
  alignmentDetail: 0.75,
  alignmentIntensity: 0.8,
  mirrorCosine: 0.95,
  similarCosine: 0.6,
  similarSeconds: 60,
  similarCosineNoTime: 0.95,
  neighbours: 6,
  viewSignals: 1,
  poseDistance: 36,
  insetCosine: 0.75,
  insetCosineSameAspect: 0.88,
  alignmentTolerated: 0.6,
};

const KEY = 'duplicates';

export function loadThresholds(db: Db): DuplicateThresholds {
  const stored = new SettingsRepository(db).getJson(KEY);
  if (typeof stored !== 'object' || stored === null) return { ...DEFAULT_THRESHOLDS };
  return sanitise({ ...DEFAULT_THRESHOLDS, ...(stored as Partial<DuplicateThresholds>) });
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
    if (patch.linkBand === undefined) shifted.linkBand = current.linkBand + delta;
  }
  const next = sanitise({ ...current, ...shifted });
  new SettingsRepository(db).setJson(KEY, next);
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
  out.linkBand = Math.max(out.linkBand, out.nearBand);
  return out;
}
