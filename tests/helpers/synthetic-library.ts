/**
 * Synthetic photos through the real store: file rows, EXIF-like facts, perceptual hashes and raw
 * CNN-like vectors (non-negative, drawn around category centres), saved exactly as the indexer
 * saves them. For tests and `npm run bench -- scale`; no image files exist behind them.
 */
import path from 'node:path';
import type { Library } from '../../main/core/library.js';
import { gaussians, seededUniform } from '../../main/core/search/linear-algebra.js';

export interface SyntheticOptions {
  count: number;
  /** Raw vector dimensions (the bundled CNN's are 1792). */
  dims?: number;
  /** Photos per category on average. */
  perCategory?: number;
  /**
   * Categories per theme: each category centre then shares a third of its variance with its theme's
   * (real libraries nest: a trip holds scenes, a scene bursts), so a photo's nearest beyond its own
   * category are its theme's, ranked by their categories' closeness. Absent: independent
   * categories, whose photos see the rest of the library as one flat sea of near-equal scores.
   */
  perTheme?: number;
  root?: string;
  seed?: number;
  /** Shares of exact copies (same content hash and vector) and near copies (a nudged vector, a few hash bits flipped). */
  exactCopies?: number;
  nearCopies?: number;
}

export interface SyntheticPhotos {
  root: string;
  ids: number[];
  /** The category of each photo, by id. */
  category: Map<number, number>;
}

const BATCH = 2000;

export function addSyntheticPhotos(library: Library, options: SyntheticOptions): SyntheticPhotos {
  const { count, dims = 1792, perCategory = 20, seed = 11, exactCopies = 0, nearCopies = 0 } = options;
  const root = options.root ?? '/synthetic-photos';
  const uniform = seededUniform(seed);
  const categories = Math.max(2, Math.round(count / perCategory));
  const centres = gaussians(categories * dims, seed + 1);
  if (options.perTheme) {
    const [OWN, SHARED] = [Math.sqrt(2 / 3), Math.sqrt(1 / 3)]; // unit variance, a third shared
    const themes = Math.max(1, Math.round(categories / options.perTheme));
    const themeCentres = gaussians(themes * dims, seed + 3);
    for (let c = 0; c < categories; c++) {
      const theme = c % themes;
      for (let t = 0; t < dims; t++) centres[c * dims + t] = OWN * centres[c * dims + t] + SHARED * themeCentres[theme * dims + t];
    }
  }
  // A table of noise rows read at shifting offsets: distinct vectors without 1792 draws per photo.
  const noiseRows = 997;
  const noise = gaussians(noiseRows * dims, seed + 2);
  const hex = (digits: number) => Array.from({ length: digits }, () => Math.floor(uniform() * 16).toString(16)).join('');
  const flip = (h: string) => (BigInt(`0x${h}`) ^ BigInt(1 + Math.floor(uniform() * 7))).toString(16).padStart(16, '0');
  const modelId = library.targetModelId;
  const existing = library.files.filesUnder(root).size;
  const ids: number[] = [];
  const category = new Map<number, number>();
  const made: { vector: Float32Array; facts: ReturnType<typeof facts>; category: number }[] = [];
  function facts(i: number) {
    const day = 1 + (i % 28);
    return {
      contentHash: hex(40),
      format: 'jpeg',
      width: 4000,
      height: 3000,
      takenAt: `20${10 + (i % 15)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}T10:00:00.000Z`,
      camera: 'Synthetic',
      lens: null,
      gpsLat: null,
      gpsLon: null,
      dhash: hex(16),
      phash: hex(16),
    };
  }
  for (let start = 0; start < count; start += BATCH) {
    const end = Math.min(count, start + BATCH);
    const batch = Array.from({ length: end - start }, (_, j) => {
      const i = existing + start + j;
      return { path: path.join(root, `folder-${String(Math.floor(i / 500)).padStart(4, '0')}`, `photo-${String(i).padStart(7, '0')}.jpg`), size: 1_000_000 + i, mtimeMs: 1_600_000_000_000 + i * 1000 };
    });
    library.files.insertPending(batch);
    const results = batch.map((file, j) => {
      const i = existing + start + j;
      const roll = uniform();
      let entry: (typeof made)[number];
      if (made.length > 0 && roll < exactCopies) {
        const base = made[Math.floor(uniform() * made.length)];
        entry = { ...base };
      } else if (made.length > 0 && roll < exactCopies + nearCopies) {
        const base = made[Math.floor(uniform() * made.length)];
        const vector = new Float32Array(dims);
        for (let t = 0; t < dims; t++) vector[t] = Math.max(0, base.vector[t] + 0.02 * noise[((i * 31 + t) % noiseRows) * dims + ((t + i) % dims)]);
        entry = { vector, facts: { ...facts(i), dhash: flip(base.facts.dhash), phash: flip(base.facts.phash) }, category: base.category };
      } else {
        const c = Math.floor(uniform() * categories);
        const vector = new Float32Array(dims);
        const row = (i % noiseRows) * dims;
        const shift = (i * 7919) % dims;
        for (let t = 0; t < dims; t++) vector[t] = Math.max(0, centres[c * dims + t] + 0.9 * noise[row + ((t + shift) % dims)]);
        entry = { vector, facts: facts(i), category: c };
      }
      made.push(entry);
      const id = library.files.byPath(file.path)!.id;
      ids.push(id);
      category.set(id, entry.category);
      return { id, facts: entry.facts, vector: entry.vector, modelId, thumbnail: null };
    });
    library.files.saveResults(results, []);
    if (made.length > 20_000) made.splice(0, made.length - 20_000); // copies are drawn from recent photos: bounded memory
  }
  return { root, ids, category };
}
