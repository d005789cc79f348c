/**
 * Benchmarks of the indexing core (issue 2). Every figure is printed next to a baseline measured
 * in the same run, never asserted: decode (our decode-once path vs a naive full decode per
 * consumer), whole-pipeline indexing (worker pool vs one worker, per engine), and `similar` query
 * latency over 100k synthetic vectors (our exact scan vs score-everything-then-sort).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { decodeFile } from '../main/core/imaging/decode.js';
import { Library } from '../main/core/library.js';
import { VectorIndex } from '../main/core/search/vector-index.js';
import { gaussians, l2Normalise } from '../main/core/search/linear-algebra.js';
import type { EngineName } from '../main/core/embedding/engine.js';

const rate = (count: number, ms: number) => `${((count * 1000) / ms).toFixed(1)} img/s`;

/** Decode-only: our one decode feeding thumbnail + hashes + CNN input, vs decoding once per consumer at full size. */
export async function benchDecode(files: string[]): Promise<string[]> {
  let start = performance.now();
  for (const file of files) await decodeFile(file, { cnnSize: 224, thumbnail: true });
  const ours = performance.now() - start;
  start = performance.now();
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    // The naive way: every consumer decodes the full-size original itself.
    await sharp(bytes).rotate().resize(224, 224, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    await sharp(bytes).rotate().resize(256, 256, { fit: 'inside' }).webp().toBuffer();
    await sharp(bytes).greyscale().resize(9, 8, { fit: 'fill' }).raw().toBuffer();
    await sharp(bytes).greyscale().resize(32, 32, { fit: 'fill' }).raw().toBuffer();
  }
  const naive = performance.now() - start;
  return [
    `decode-only (${files.length} photos, 1 thread):  decode-once ${rate(files.length, ours)}   baseline decode-per-consumer ${rate(files.length, naive)}   ratio ×${(naive / ours).toFixed(2)}`,
  ];
}

/** Whole pipeline (`Library.index`) on a folder, per engine, pool vs one worker. */
export async function benchPipeline(folder: string, label: string, engines: EngineName[]): Promise<string[]> {
  const lines: string[] = [];
  for (const engine of engines) {
    const figures: Record<string, number> = {};
    for (const workers of [1, os.availableParallelism()]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-bench-'));
      const library = Library.open({ dbPath: path.join(dir, 'bench.db'), engine, workers });
      try {
        await library.pool(); // engine start-up is not indexing throughput
        const s = await library.index([folder]);
        figures[workers] = s.indexed / s.seconds;
      } finally {
        await library.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    const [one, many] = Object.values(figures);
    lines.push(`pipeline ${label} engine=${engine}:  ${os.availableParallelism()} workers ${many.toFixed(1)} img/s   baseline 1 worker ${one.toFixed(1)} img/s   ratio ×${(many / one).toFixed(2)}`);
  }
  return lines;
}

/** `similar` latency over 100k synthetic 256-d unit vectors (the whitened space's size). */
export function benchQueries(count = 100_000, dims = 256, queries = 100): string[] {
  const index = new VectorIndex(dims, count);
  const noise = gaussians(dims * 1000, 5);
  const vectors: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const v = new Float32Array(dims);
    const offset = (i % 1000) * dims;
    const shift = (i * 7919) % dims; // 1000 noise rows × dims shifts: distinct vectors, cheap to make
    for (let j = 0; j < dims; j++) v[j] = noise[offset + ((j + shift) % dims)] + noise[(i % 997) * dims + j] * 0.5;
    l2Normalise(v);
    index.set(i + 1, v);
    if (i < queries) vectors.push(v);
  }
  const ours: number[] = [];
  const naive: number[] = [];
  for (const q of vectors) {
    let t = performance.now();
    index.search(q, 50, new Set([1]));
    ours.push(performance.now() - t);
    t = performance.now();
    index.rankAll(q, new Set([1])).slice(0, 50);
    naive.push(performance.now() - t);
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];
  return [
    `similar over ${count.toLocaleString('en')} × ${dims}-d vectors, k=50 (${queries} queries):  exact top-k scan p50 ${pct(ours, 0.5).toFixed(1)} ms p95 ${pct(ours, 0.95).toFixed(1)} ms   ` +
      `baseline score-all+sort p50 ${pct(naive, 0.5).toFixed(1)} ms p95 ${pct(naive, 0.95).toFixed(1)} ms   ratio ×${(pct(naive, 0.5) / pct(ours, 0.5)).toFixed(2)}`,
  ];
}

/** A larger photo set generated from the real ones: crops, flips and re-encodes at 1600 px. */
export async function generateLargerSet(sources: string[], dir: string, count: number): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length];
    const variant = Math.floor(i / sources.length);
    let image = sharp(source).resize(1600, 1600, { fit: 'inside' });
    if (variant % 2 === 1) image = image.flop();
    const meta = await sharp(source).metadata();
    const inset = 0.04 * (variant % 3);
    if (inset > 0 && meta.width && meta.height) {
      image = sharp(await image.toBuffer()).extract({
        left: Math.round(1600 * inset * 0.5),
        top: Math.round(1600 * inset * 0.3),
        width: Math.round(Math.min(1600, meta.width) * (1 - inset)),
        height: Math.round(Math.min(1600 * (meta.height / meta.width), meta.height) * (1 - inset)),
      });
    }
    await image.jpeg({ quality: 88 }).toFile(path.join(dir, `generated-${String(i).padStart(4, '0')}.jpg`));
  }
}
