/**
 * Automatic annotation (objects + text): its cost per photo (decode, detection, OCR) and the
 * indexing rate with and without it, on the same photos in the same run; and the search
 * precision@10 of everyday object words on caltech101-dev photos under neutral names.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../main/core/library.js';
import { DATASETS } from '../tests/helpers/datasets.js';

const CALTECH = path.join(DATASETS, 'caltech101-dev');

/** Copies photos under neutral names (IMG_0001.jpg …) so that only their content can match. */
function neutralCopy(files: string[], dir: string): Map<string, string> {
  fs.mkdirSync(dir, { recursive: true });
  const category = new Map<string, string>();
  files.forEach((file, i) => {
    const target = path.join(dir, `IMG_${String(i + 1).padStart(4, '0')}${path.extname(file).toLowerCase()}`);
    fs.copyFileSync(file, target);
    category.set(target, path.basename(path.dirname(file)));
  });
  return category;
}

function photosOf(root: string, perCategory: number, categories?: string[]): string[] {
  const out: string[] = [];
  for (const cat of fs.readdirSync(root).sort()) {
    if (categories && !categories.includes(cat)) continue;
    const dir = path.join(root, cat);
    if (!fs.statSync(dir).isDirectory()) continue;
    out.push(...fs.readdirSync(dir).filter((n) => /\.jpe?g$/i.test(n)).sort().slice(0, perCategory).map((n) => path.join(dir, n)));
  }
  return out;
}

/** Indexes `files` twice as fast as it can tell: embedding alone, then annotation of the same library. */
export async function benchAnnotationCost(files: string[], label: string): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-bench-annotate-'));
  try {
    neutralCopy(files, path.join(dir, 'photos'));
    const library = Library.open({ dbPath: path.join(dir, 'bench.db'), annotate: false });
    try {
      let t = performance.now();
      const s = await library.index([path.join(dir, 'photos')]);
      const embed = (performance.now() - t) / 1000;
      t = performance.now();
      const a = await library.annotate();
      const annotate = (performance.now() - t) / 1000;
      const n = s.indexed;
      return [
        `${label}: ${n} photos; index without annotation ${embed.toFixed(1)} s (${(n / embed).toFixed(1)} img/s); ` +
          `annotation ${annotate.toFixed(1)} s more (${((annotate * 1000) / Math.max(1, a.annotated)).toFixed(0)} ms/photo with the worker's start; ` +
          `decode ${a.timing.decode.toFixed(0)} ms, detection ${a.timing.detect.toFixed(0)} ms, OCR ${a.timing.ocr.toFixed(0)} ms per photo); ` +
          `with annotation ${(n / (embed + annotate)).toFixed(2)} img/s (×${((embed + annotate) / embed).toFixed(1)} the time)`,
      ];
    } finally {
      await library.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Words a user types → the caltech101-dev categories that show them. */
export const OBJECT_WORDS: Record<string, string[]> = {
  motorbike: ['Motorbikes'],
  airplane: ['airplanes'],
  plane: ['airplanes'],
  car: ['car_side'],
  person: ['Faces'],
  people: ['Faces'],
  chair: ['chair', 'windsor_chair'],
  laptop: ['laptop'],
  pizza: ['pizza'],
  cup: ['cup'],
  umbrella: ['umbrella'],
  'stop sign': ['stop_sign'],
  phone: ['cellphone'],
  scissors: ['scissors'],
  ball: ['soccer_ball'],
  elephant: ['elephant'],
  boat: ['ketch', 'schooner', 'ferry'],
  dog: ['dalmatian'],
  bird: ['pigeon', 'rooster', 'flamingo', 'emu', 'ibis'],
};

/**
 * Mean precision@10 of `likeness search "<word>"` over OBJECT_WORDS, in a library of the
 * categories those words name plus every 4th other category (distractors), all under neutral names.
 */
export async function benchObjectPrecision(): Promise<string[]> {
  const wanted = new Set(Object.values(OBJECT_WORDS).flat());
  const others = fs.readdirSync(CALTECH).sort().filter((c) => !wanted.has(c) && fs.statSync(path.join(CALTECH, c)).isDirectory());
  const categories = [...wanted, ...others.filter((_, i) => i % 4 === 0)];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-bench-precision-'));
  try {
    const category = neutralCopy(photosOf(CALTECH, 10, categories), path.join(dir, 'photos'));
    const library = Library.open({ dbPath: path.join(dir, 'bench.db'), annotate: false });
    try {
      await library.index([path.join(dir, 'photos')]);
      await library.annotate();
      const per: string[] = [];
      let sum = 0;
      for (const [word, cats] of Object.entries(OBJECT_WORDS)) {
        const top = (await library.search({ text: word, limit: 10 })).hits.map((h) => category.get(h.path)!);
        const good = top.filter((c) => cats.includes(c)).length;
        sum += good / 10;
        per.push(`${word} ${good}/10`);
      }
      const words = Object.keys(OBJECT_WORDS).length;
      return [
        `caltech101-dev, ${category.size} photos of ${categories.length} categories under neutral names: mean precision@10 ${(sum / words).toFixed(3)} over ${words} words ` +
          `(text search without annotation: 0.000, nothing matches IMG_…)`,
        per.join(', '),
      ];
    } finally {
      await library.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function annotationSets(): { ferrari: string[]; caltech: string[] } {
  return { ferrari: photosOf(path.join(DATASETS, 'ferrari-100'), 1000), caltech: photosOf(CALTECH, 2) };
}
