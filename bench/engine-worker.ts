/**
 * One engine in one worker thread, for the engines bench's "as the product runs them" figure:
 * the pool gives each core a worker with a single-threaded engine, so that is what is timed.
 * Protocol: start → { ready }; 'go' → `measure` (warm-up, then batches until the budget is
 * spent) → { msPerImage }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EmbeddingEngine } from '../main/core/embedding/engine.js';
import { OnnxEngine } from '../main/core/embedding/onnx/onnx-engine.js';
import { TfjsEngine } from '../main/core/embedding/tfjs-engine.js';
import { measure } from './engines.js';

export interface EngineWorkerData {
  engine: 'onnx' | 'tfjs';
  images: Uint8Array[];
  batch: number;
}

const { engine: name, images, batch } = workerData as EngineWorkerData;
const port = parentPort!;

const engine: EmbeddingEngine = name === 'onnx' ? await OnnxEngine.create({ threads: 1, log: () => {} }) : await TfjsEngine.create();
await engine.embed(images.slice(0, batch)); // start-up cost stays out of the timed part
port.postMessage({ ready: true });
port.once('message', async () => {
  const { msPerImage } = await measure(name, engine, images, batch);
  port.postMessage({ msPerImage });
  await engine.dispose();
});
