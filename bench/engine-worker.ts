/**
 * One engine in one worker thread, for the engines bench's "as the product runs them" figure:
 * the pool gives each core a worker with a single-threaded engine, so that is what is timed.
 * Protocol: start → { ready }; 'go' → embeds the images in batches until the budget is spent →
 * { done: images embedded, ms }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EmbeddingEngine } from '../main/core/embedding/engine.js';
import { OnnxEngine } from '../main/core/embedding/onnx/onnx-engine.js';
import { TfjsEngine } from '../main/core/embedding/tfjs-engine.js';

export interface EngineWorkerData {
  engine: 'onnx' | 'tfjs';
  images: Uint8Array[];
  batch: number;
  budgetMs: number;
}

const { engine: name, images, batch, budgetMs } = workerData as EngineWorkerData;
const port = parentPort!;

const engine: EmbeddingEngine = name === 'onnx' ? await OnnxEngine.create({ threads: 1, log: () => {} }) : await TfjsEngine.create();
await engine.embed(images.slice(0, batch)); // warm-up
port.postMessage({ ready: true });
port.once('message', async () => {
  let done = 0;
  const start = performance.now();
  do {
    for (let i = 0; i < images.length; i += batch) done += (await engine.embed(images.slice(i, i + batch))).length;
  } while (performance.now() - start < budgetMs);
  port.postMessage({ done, ms: performance.now() - start });
  await engine.dispose();
});
