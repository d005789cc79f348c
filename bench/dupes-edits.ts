/**
 * `npm run bench -- dupes-edits`: duplicates on the copies people really have (messenger
 * re-encodes, baked-in rotations, mirrors, filters, crops, padding, burned-in text, screenshots,
 * other formats; tests/helpers/everyday-edits.ts), made from real photos (ferrari-100 at 1024 px,
 * caltech101-dev at ~300 px) among distractors: other photos of the same cars and of the same
 * caltech categories, which must not group.
 *
 * Two parts, each its own library: TUNING (the sources and edit parameters the thresholds were
 * set on) and HELD-OUT (other source photos, other edit parameters), reported separately. Each is
 * indexed once through the real `Library`, then `dupes` (exact + near, the default) is run twice:
 * with today's signals only (the view signals switched off, `viewSignals: 0`) and with the
 * defaults. Per kind of edit: pairwise precision and recall over the originals, that kind's
 * copies and the distractors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../main/core/library.js';
import { pairwiseScores } from '../main/core/eval/metrics.js';
import { DATASETS, ferrariPhotos } from '../tests/helpers/datasets.js';
import { everydayEdits, type EditPart } from '../tests/helpers/everyday-edits.js';
import { viewHashes } from '../main/core/imaging/view-hashes.js';
import { areaAverage } from '../main/core/imaging/decode.js';
import { dHashFromGrey9x8, pHashFromGrey32 } from '../main/core/imaging/hashes.js';
import sharp from 'sharp';

interface PartFiles {
  /** Every file of the part, and the source it shows (distractors: themselves). */
  files: { path: string; kind: string; source: string }[];
}

const CALTECH = path.join(DATASETS, 'caltech101-dev');

function caltech(categories: string[], index: number): string[] {
  return categories.map((c) => {
    const names = fs.readdirSync(path.join(CALTECH, c)).filter((n) => /\.jpe?g$/i.test(n)).sort();
    return path.join(CALTECH, c, names[index % names.length]);
  });
}

/** Sources and distractors of each part: disjoint photos, categories spread over the dataset. */
function sourcesOf(part: EditPart): { sources: string[]; distractors: string[] } {
  const ferrari = ferrariPhotos();
  const categories = fs.readdirSync(CALTECH).filter((c) => fs.statSync(path.join(CALTECH, c)).isDirectory()).sort();
  const offset = part === 'tune' ? 0 : 5;
  const cats = categories.filter((_, i) => i % 10 === (part === 'tune' ? 3 : 7));
  return {
    sources: [...ferrari.filter((_, i) => i % 10 === offset), ...caltech(cats, 0)],
    distractors: [...ferrari.filter((_, i) => i % 10 === offset + 1), ...caltech(cats, 1), ...caltech(cats, 2)],
  };
}

async function makePart(part: EditPart, dir: string): Promise<PartFiles> {
  const { sources, distractors } = sourcesOf(part);
  const files: PartFiles['files'] = [];
  const put = (sub: string, name: string, bytes: Buffer) => {
    const target = path.join(dir, sub, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, bytes);
    return target;
  };
  const id = (f: string) => `${path.basename(path.dirname(f))}-${path.basename(f).replace(/\.\w+$/, '')}`;
  for (const f of sources) files.push({ path: put('originals', `${id(f)}.jpg`, fs.readFileSync(f)), kind: 'original', source: id(f) });
  for (const f of distractors) files.push({ path: put('distractors', `${id(f)}.jpg`, fs.readFileSync(f)), kind: 'distractor', source: `d:${id(f)}` });
  for (const edit of everydayEdits(part)) {
    for (const f of sources) files.push({ path: put(edit.kind, `${id(f)}.${edit.ext}`, await edit.make(f)), kind: edit.kind, source: id(f) });
  }
  return { files };
}

interface Row {
  kind: string;
  precision: number;
  recall: number;
  tp: number;
  fp: number;
  fn: number;
}

function scoreByKind(groups: string[][], part: PartFiles): Row[] {
  const sourceOf = new Map(part.files.map((f) => [f.path, f.source]));
  const kinds = [...new Set(part.files.map((f) => f.kind))].filter((k) => k !== 'original' && k !== 'distractor');
  const rows: Row[] = [];
  const score = (kind: string, keep: (k: string) => boolean) => {
    const items = part.files.filter((f) => keep(f.kind)).map((f) => f.path);
    const wanted = new Set(items);
    const restricted = groups.map((g) => g.filter((p) => wanted.has(p)));
    const s = pairwiseScores(restricted, items, (p) => sourceOf.get(p));
    rows.push({ kind, precision: s.precision, recall: s.recall, tp: s.tp, fp: s.fp, fn: s.recall > 0 ? Math.round(s.tp / s.recall - s.tp) : Number.NaN });
  };
  for (const kind of kinds) score(kind, (k) => k === kind || k === 'original' || k === 'distractor');
  score('ALL', () => true);
  return rows;
}

async function runPart(part: EditPart, root: string): Promise<string[]> {
  const dir = path.join(root, part);
  const t0 = performance.now();
  const files = await makePart(part, path.join(dir, 'photos'));
  const made = (performance.now() - t0) / 1000;
  const library = Library.open({ dbPath: path.join(dir, 'lib.db') });
  try {
    const t1 = performance.now();
    await library.index([path.join(dir, 'photos')]);
    const indexed = (performance.now() - t1) / 1000;
    const results: Record<string, { rows: Row[]; seconds: number; checks: number }> = {};
    for (const [name, viewSignals] of [
      ['today', 0],
      ['new', 1],
    ] as const) {
      library.setDuplicateThresholds({ viewSignals });
      const t2 = performance.now();
      const answer = await library.dupes({ tier: 'near' });
      results[name] = {
        rows: scoreByKind(
          answer.groups.map((g) => g.paths),
          files,
        ),
        seconds: (performance.now() - t2) / 1000,
        checks: answer.stats.alignmentChecks,
      };
    }
    library.setDuplicateThresholds({ viewSignals: 1 });
    const title = part === 'tune' ? 'TUNING' : 'HELD-OUT';
    const sources = files.files.filter((f) => f.kind === 'original').length;
    const distractors = files.files.filter((f) => f.kind === 'distractor').length;
    const lines = [
      `### ${title}: ${sources} source photos, ${files.files.length - sources - distractors} copies, ${distractors} distractors (made in ${made.toFixed(0)} s, indexed in ${indexed.toFixed(0)} s)`,
      `dupes today ${results.today.seconds.toFixed(1)} s (${results.today.checks} pixel checks), with view signals ${results.new.seconds.toFixed(1)} s (${results.new.checks} pixel checks)`,
      `${'kind'.padEnd(16)} ${'today P'.padStart(8)} ${'R'.padStart(6)}   ${'new P'.padStart(8)} ${'R'.padStart(6)}  (new tp/fp/fn)`,
    ];
    for (let i = 0; i < results.new.rows.length; i++) {
      const a = results.today.rows[i];
      const b = results.new.rows[i];
      lines.push(
        `${b.kind.padEnd(16)} ${a.precision.toFixed(3).padStart(8)} ${a.recall.toFixed(3).padStart(6)}   ${b.precision.toFixed(3).padStart(8)} ${b.recall.toFixed(3).padStart(6)}  (${b.tp}/${b.fp}/${b.fn})`,
      );
    }
    return lines;
  } finally {
    await library.close();
  }
}

/** What the view signals cost per photo at index time, beside the decode they come from. */
async function indexCost(): Promise<string> {
  const photos = ferrariPhotos(30);
  const greys: Float32Array[] = [];
  const t0 = performance.now();
  for (const f of photos) {
    const rgb = await sharp(f).resize(224, 224, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    const grey = new Float32Array(224 * 224);
    for (let i = 0; i < grey.length; i++) grey[i] = 0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2];
    greys.push(grey);
  }
  const decode = (performance.now() - t0) / photos.length;
  const rounds = 5;
  const t1 = performance.now();
  for (let r = 0; r < rounds; r++) for (const g of greys) viewHashes(g, 224, areaAverage(g, 224, 32, 32));
  const views = (performance.now() - t1) / (rounds * photos.length);
  const t2 = performance.now();
  for (let r = 0; r < rounds; r++) for (const g of greys) void (pHashFromGrey32(areaAverage(g, 224, 32, 32)) + dHashFromGrey9x8(areaAverage(g, 224, 9, 8)));
  const today = (performance.now() - t2) / (rounds * photos.length);
  return `index-time cost of the view hashes: ${views.toFixed(2)} ms a photo (today's dHash + pHash: ${today.toFixed(2)} ms; a 1024 px decode to the CNN input: ${decode.toFixed(1)} ms), ${viewHashesBytes()} bytes a photo in the database`;
}

function viewHashesBytes(): number {
  return viewHashes(new Float32Array(224 * 224), 224).length;
}

export async function benchDupesEdits(parts: EditPart[] = ['tune', 'held']): Promise<string[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-dupes-edits-'));
  try {
    const lines: string[] = [];
    // Each part's table is printed as soon as it is measured (a part takes minutes).
    for (const part of parts) for (const line of await runPart(part, root)) console.log(line);
    lines.push(await indexCost());
    return lines;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
