/**
 * `npm run bench -- dupes-calibration`: the sets the duplicate thresholds were first calibrated on
 * (main/core/duplicates/thresholds.ts), rebuilt with sharp in a temporary folder:
 * - "edits": the 100 ferrari-100 photos and five edited copies of each (512 px, JPEG quality 30,
 *   6 % border crop, +15 % brightness, WebP): 600 photos, 1,500 true pairs;
 * - "combos", held out: seven combined edits of each;
 * - "extra", held out: 12 % corner crop, 256 px q50, greyscale, mirror, contrast, blur;
 * - cifar10-test-1000: 1,000 distinct tiny photos.
 * Each set is its own library, indexed through the real `Library`. Per set: the near distance
 * (1 − raw cosine) + hashWeight × (dHash + pHash) / 128 of every pair, split into copies (same
 * source) and distinct photos, and `dupes` (exact + near) scored pairwise against the sources.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { Library } from '../main/core/library.js';
import { DEFAULT_THRESHOLDS } from '../main/core/duplicates/thresholds.js';
import { HashTable } from '../main/core/duplicates/signals.js';
import { pairwiseScores } from '../main/core/eval/metrics.js';
import { prepareRaw } from '../main/core/search/whitening.js';
import { openDatabase } from '../main/core/store/database.js';
import { toFloat32 } from '../main/core/store/float-blobs.js';
import { CIFAR, ferrariPhotos } from '../tests/helpers/datasets.js';

type Edit = [name: string, make: (file: string) => Promise<Buffer>];

async function crop(file: string, fraction: number, corner = false): Promise<Sharp> {
  const m = await sharp(file).metadata();
  const left = corner ? 0 : Math.round(m.width! * fraction);
  const top = corner ? 0 : Math.round(m.height! * fraction);
  const width = corner ? Math.round(m.width! * (1 - fraction)) : m.width! - 2 * left;
  const height = corner ? Math.round(m.height! * (1 - fraction)) : m.height! - 2 * top;
  return sharp(file).extract({ left, top, width, height });
}
const fit = (px: number) => ({ width: px, height: px, fit: 'inside' as const });
const half = async (file: string) => {
  const m = await sharp(file).metadata();
  return fit(Math.round(Math.max(m.width!, m.height!) / 2));
};

export const EDITS: Edit[] = [
  ['512px', (f) => sharp(f).resize(fit(512)).jpeg({ quality: 90 }).toBuffer()],
  ['q30', (f) => sharp(f).jpeg({ quality: 30 }).toBuffer()],
  ['crop6', async (f) => (await crop(f, 0.06)).jpeg({ quality: 90 }).toBuffer()],
  ['bright15', (f) => sharp(f).modulate({ brightness: 1.15 }).jpeg({ quality: 90 }).toBuffer()],
  ['webp', (f) => sharp(f).webp().toBuffer()],
];
const COMBOS: Edit[] = [
  ['crop6-bright', async (f) => (await crop(f, 0.06)).modulate({ brightness: 1.15 }).jpeg({ quality: 90 }).toBuffer()],
  ['half-q30', async (f) => sharp(f).resize(await half(f)).jpeg({ quality: 30 }).toBuffer()],
  ['webp-crop6', async (f) => (await crop(f, 0.06)).webp().toBuffer()],
  ['q30-bright', (f) => sharp(f).modulate({ brightness: 1.15 }).jpeg({ quality: 30 }).toBuffer()],
  ['320px-webp60', (f) => sharp(f).resize(fit(320)).webp({ quality: 60 }).toBuffer()],
  ['crop8-q50', async (f) => (await crop(f, 0.08)).jpeg({ quality: 50 }).toBuffer()],
  ['darker-png', (f) => sharp(f).modulate({ brightness: 0.85 }).png().toBuffer()],
];
const EXTRA: Edit[] = [
  ['corner12', async (f) => (await crop(f, 0.12, true)).jpeg({ quality: 90 }).toBuffer()],
  ['256px-q50', (f) => sharp(f).resize(fit(256)).jpeg({ quality: 50 }).toBuffer()],
  ['greyscale', (f) => sharp(f).greyscale().jpeg({ quality: 90 }).toBuffer()],
  ['mirror', (f) => sharp(f).flop().jpeg({ quality: 90 }).toBuffer()],
  ['contrast', (f) => sharp(f).linear(1.3, -38).jpeg({ quality: 90 }).toBuffer()],
  ['blur', (f) => sharp(f).blur(2).jpeg({ quality: 90 }).toBuffer()],
];

/** The photos of a set and the source each shows (a distinct photo is its own source). */
async function makeSet(dir: string, edits: Edit[] | null, sources: string[]): Promise<Map<string, string>> {
  const sourceOf = new Map<string, string>();
  if (!edits) {
    const names = fs.readdirSync(CIFAR, { recursive: true, encoding: 'utf8' }).filter((n) => /\.(png|jpe?g)$/i.test(n));
    for (const name of names) sourceOf.set(path.join(CIFAR, name), name);
    return sourceOf;
  }
  for (const file of sources) {
    const id = path.basename(file).replace(/\.\w+$/, '');
    const original = path.join(dir, 'originals', path.basename(file));
    fs.mkdirSync(path.dirname(original), { recursive: true });
    fs.copyFileSync(file, original);
    sourceOf.set(original, id);
    for (const [name, make] of edits) {
      const bytes = await make(file);
      const ext = name.includes('webp') ? 'webp' : name.includes('png') ? 'png' : 'jpg';
      const copy = path.join(dir, name, `${id}.${ext}`);
      fs.mkdirSync(path.dirname(copy), { recursive: true });
      fs.writeFileSync(copy, bytes);
      sourceOf.set(copy, id);
    }
  }
  return sourceOf;
}

interface Pairs {
  /** 1 − raw cosine of every pair. */
  cnn: Float64Array;
  /** dHash + pHash distance (bits of 128) of every pair. */
  bits: Float64Array;
  /** 1 where both show one source. */
  copy: Uint8Array;
}

/** The signals of every pair, from what the index stored. */
function pairSignals(dbPath: string, sourceOf: Map<string, string>): Pairs {
  const db = openDatabase(dbPath);
  try {
    const model = (db.prepare('SELECT model_id FROM vectors GROUP BY model_id ORDER BY COUNT(*) DESC LIMIT 1').get() as { model_id: string }).model_id;
    const rows = db
      .prepare('SELECT f.path, f.dhash, f.phash, v.vector FROM files f JOIN vectors v ON v.file_id = f.id AND v.model_id = ? ORDER BY f.id')
      .all(model) as { path: string; dhash: string | null; phash: string | null; vector: Buffer }[];
    const vectors = rows.map((r) => prepareRaw(toFloat32(r.vector)));
    const dh = new HashTable(rows.map((r) => r.dhash));
    const ph = new HashTable(rows.map((r) => r.phash));
    const count = (rows.length * (rows.length - 1)) / 2;
    const pairs: Pairs = { cnn: new Float64Array(count), bits: new Float64Array(count), copy: new Uint8Array(count) };
    let k = 0;
    for (let i = 0; i < rows.length; i++) {
      for (let j = i + 1; j < rows.length; j++, k++) {
        let dot = 0;
        for (let t = 0; t < vectors[i].length; t++) dot += vectors[i][t] * vectors[j][t];
        pairs.cnn[k] = 1 - dot;
        pairs.bits[k] = dh.distance(i, j) + ph.distance(i, j);
        pairs.copy[k] = sourceOf.get(rows[i].path) === sourceOf.get(rows[j].path) ? 1 : 0;
      }
    }
    return pairs;
  } finally {
    db.close();
  }
}

/** Near distances at hash weight `weight`, copies and distinct apart, each sorted. */
function nearDistances(pairs: Pairs, weight: number): { copies: number[]; distinct: number[] } {
  const copies: number[] = [];
  const distinct: number[] = [];
  for (let k = 0; k < pairs.cnn.length; k++) (pairs.copy[k] ? copies : distinct).push(pairs.cnn[k] + (weight / 128) * pairs.bits[k]);
  return { copies: copies.sort((a, b) => a - b), distinct: distinct.sort((a, b) => a - b) };
}

/** The share of true pairs found below the widest threshold that keeps precision ≥ `precision`. */
function recallAtPrecision({ copies, distinct }: { copies: number[]; distinct: number[] }, precision: number): number {
  let best = 0;
  let d = 0;
  for (let c = 0; c < copies.length; c++) {
    while (d < distinct.length && distinct[d] <= copies[c]) d++;
    if ((c + 1) / (c + 1 + d) >= precision) best = c + 1;
  }
  return copies.length ? best / copies.length : Number.NaN;
}

/** Groups that share a file are read as one (an exact group beside the near group it touches). */
function linked(groups: string[][]): string[][] {
  const sets: Set<string>[] = [];
  for (const g of groups) {
    const touching = sets.filter((set) => g.some((p) => set.has(p)));
    const merged = new Set([...g, ...touching.flatMap((set) => [...set])]);
    for (const set of touching) sets.splice(sets.indexOf(set), 1);
    sets.push(merged);
  }
  return sets.map((set) => [...set]);
}

/** One set measured; `sources` (the ferrari photos edited) may be fewer for a quick look. */
export async function runSet(name: string, edits: Edit[] | null, root: string, sources = ferrariPhotos()): Promise<string[]> {
  const dir = path.join(root, name);
  const sourceOf = await makeSet(path.join(dir, 'photos'), edits, sources);
  const dbPath = path.join(dir, 'lib.db');
  const library = Library.open({ dbPath });
  let groups: string[][];
  let checks = 0;
  let checksWithoutViews = 0;
  try {
    await library.index([edits ? path.join(dir, 'photos') : CIFAR]);
    // The pixel checks the view signals (turned and flipped poses, insets) add, beside the answer.
    library.setDuplicateThresholds({ viewSignals: 0 });
    checksWithoutViews = (await library.dupes({ tier: 'near' })).stats.alignmentChecks;
    library.setDuplicateThresholds({ viewSignals: DEFAULT_THRESHOLDS.viewSignals });
    const answer = await library.dupes({ tier: 'near' });
    groups = answer.groups.map((g) => g.paths);
    checks = answer.stats.alignmentChecks;
  } finally {
    await library.close();
  }
  const pairs = pairSignals(dbPath, sourceOf);
  const { copies, distinct } = nearDistances(pairs, DEFAULT_THRESHOLDS.hashWeight);
  const s = pairwiseScores(linked(groups), [...sourceOf.keys()], (p) => sourceOf.get(p));
  const lines = [
    `${name}: ${sourceOf.size} photos, ${copies.length} true pairs; dupes (exact + near) pairwise precision ${s.precision.toFixed(3)} recall ${s.recall.toFixed(3)}, ${groups.length} groups, ${checks} pixel checks (${checksWithoutViews} without the view signals)`,
  ];
  if (copies.length) {
    const p99 = copies[Math.floor(0.99 * (copies.length - 1))];
    lines.push(`  near distance (hash weight ${DEFAULT_THRESHOLDS.hashWeight}): copies max ${copies[copies.length - 1].toFixed(3)}, 99 % ≤ ${p99.toFixed(3)}; distinct min ${distinct[0].toFixed(3)}`);
    const weights = [0, 0.3, 0.4, 0.5, 0.6, 0.7, 1];
    lines.push(`  recall at 99 % precision by hash weight: ${weights.map((w) => `${w} → ${recallAtPrecision(nearDistances(pairs, w), 0.99).toFixed(3)}`).join(', ')}`);
  } else {
    lines.push(`  near distance: distinct min ${distinct[0].toFixed(3)}; groups: ${groups.map((g) => g.map((p) => path.basename(p)).join(' + ')).join('; ')}`);
  }
  return lines;
}

export async function benchDupesCalibration(): Promise<string[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-dupes-calibration-'));
  try {
    for (const [name, edits] of [
      ['edits', EDITS],
      ['combos', COMBOS],
      ['extra', EXTRA],
      ['cifar10-test-1000', null],
    ] as const) {
      // Each set takes minutes: its lines are printed as soon as it is measured.
      for (const line of await runSet(name, edits, root)) console.log(line);
    }
    return [];
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
