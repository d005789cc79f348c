/**
 * Embed-only throughput of the two engines on the same images, in the same run:
 * TF.js-wasm (single-threaded) against ONNX Runtime at 1 and 2 intra-op threads.
 * Decoding is not timed: callers pass RGB already resized to the engines' input size (224).
 *
 * Last, both engines as the product runs them: one single-threaded engine per core, all at once.
 *
 * Each engine is tried at two batch sizes and its best is compared: TF.js-wasm gains from
 * batching (fewer dispatches: ~85 -> ~62 ms/image from batch 1 to 8 on a 2-core x64 box), ONNX on
 * CPU is best at small batches that stay in cache. Every configuration gets a warm-up batch, then
 * passes over the images until a time budget is spent (at least one pass).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ITEMS_PER_TASK } from '../main/core/library/embed-queue.js';
import type { EmbeddingEngine } from '../main/core/embedding/engine.js';
import { OnnxEngine } from '../main/core/embedding/onnx/onnx-engine.js';
import { TfjsEngine } from '../main/core/embedding/tfjs-engine.js';

const BUDGET_MS = 2000;
const TFJS_BATCHES = [1, 8];
const ONNX_BATCHES = [1, 4];

interface Result {
  label: string;
  batch: number;
  msPerImage: number;
}

export async function measure(label: string, engine: EmbeddingEngine, images: Uint8Array[], batch: number): Promise<Result> {
  await engine.embed(images.slice(0, batch)); // warm-up
  let done = 0;
  const start = performance.now();
  do {
    for (let i = 0; i < images.length; i += batch) {
      done += (await engine.embed(images.slice(i, i + batch))).length;
    }
  } while (performance.now() - start < BUDGET_MS);
  return { label, batch, msPerImage: (performance.now() - start) / done };
}

async function sweep(label: string, engine: EmbeddingEngine, images: Uint8Array[], batches: number[]): Promise<Result[]> {
  const results: Result[] = [];
  for (const batch of batches) results.push(await measure(label, engine, images, batch));
  await engine.dispose();
  return results;
}

const best = (results: Result[]): Result => results.reduce((a, b) => (b.msPerImage < a.msPerImage ? b : a));

function line(r: Result, base?: Result): string {
  const ratio = base ? `  x${(base.msPerImage / r.msPerImage).toFixed(2)} vs ${base.label}` : '';
  return (
    `engines: ${r.label.padEnd(16)} batch ${String(r.batch).padStart(2)}  ${r.msPerImage.toFixed(1).padStart(6)} ms/image  ` +
    `${(1000 / r.msPerImage).toFixed(1).padStart(6)} images/s${ratio}`
  );
}

export async function benchEngines(imagesRgb: Uint8Array[]): Promise<string[]> {
  if (imagesRgb.length === 0) return ['engines: no images'];
  const lines: string[] = [];
  const groups: Result[][] = [];

  groups.push(await sweep('tfjs-wasm', await TfjsEngine.create(), imagesRgb, TFJS_BATCHES));
  const threadCounts = [...new Set([1, Math.min(2, availableParallelism())])];
  for (const threads of threadCounts) {
    try {
      const onnx = await OnnxEngine.create({ threads, log: () => {} });
      groups.push(await sweep(`${onnx.runtime} ${threads}t`, onnx, imagesRgb, ONNX_BATCHES));
    } catch (err) {
      lines.push(`engines: ONNX Runtime (${threads} threads) unavailable: ${(err as Error).message}`);
    }
  }

  for (const r of groups.flat()) lines.push(line(r));
  const base = best(groups[0]);
  lines.push(`engines: best of each (${imagesRgb.length} images, embed only):`);
  for (const g of groups) lines.push(line(best(g), base));

  // As the product runs them: one single-threaded engine per core, each fed batches of a task's
  // photos plus their mirror images.
  const workers = availableParallelism();
  const batch = ITEMS_PER_TASK * 2;
  const rates: Record<string, number> = {};
  for (const engine of ['tfjs', 'onnx'] as const) {
    try {
      rates[engine] = await concurrentRate(engine, workers, imagesRgb, batch);
    } catch (err) {
      lines.push(`engines: ${engine} in ${workers} workers unavailable: ${(err as Error).message}`);
    }
  }
  if (rates.tfjs && rates.onnx) {
    lines.push(
      `engines: as the product runs them (${workers} workers × 1 thread, batch ${batch}): ` +
        `tfjs-wasm ${rates.tfjs.toFixed(1)} images/s   onnx ${rates.onnx.toFixed(1)} images/s   x${(rates.onnx / rates.tfjs).toFixed(2)}`,
    );
  }
  return lines;
}

/** Images/s of `count` workers running one engine each on all cores at once. */
async function concurrentRate(engine: 'onnx' | 'tfjs', count: number, images: Uint8Array[], batch: number): Promise<number> {
  const workers = Array.from({ length: count }, () => new Worker(new URL('./engine-worker.js', import.meta.url), { workerData: { engine, images, batch } }));
  try {
    const message = (w: Worker) =>
      new Promise<{ msPerImage?: number }>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
    await Promise.all(workers.map(message)); // every engine started and warm
    const finished = workers.map(message);
    for (const w of workers) w.postMessage('go');
    const results = await Promise.all(finished);
    return results.reduce((sum, r) => sum + 1000 / r.msPerImage!, 0);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
