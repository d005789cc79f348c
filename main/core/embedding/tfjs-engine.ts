/**
 * TF.js engine: runs the bundled graph model on the WebAssembly backend (SIMD, one thread per
 * instance), or on `@tensorflow/tfjs-node(-gpu)` when the user has installed one of those.
 * One instance per worker thread; the pool gives each core its own.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { EmbeddingEngine } from './engine.js';
import {
  BACKBONE_INPUT_SIZE,
  BACKBONE_MODEL_ID,
  BACKBONE_OUTPUT_NODE,
  loadBackboneArtifacts,
} from './bundled-backbone.js';
import { rmacPool, rmacRegions } from './rmac.js';

const require = createRequire(import.meta.url);
type Tf = typeof import('@tensorflow/tfjs');

/** Prefer a native TF.js binding if the user installed one; else the bundled wasm backend. */
async function loadTf(): Promise<{ tf: Tf; runtime: string }> {
  for (const native of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      const tf = require(native) as Tf;
      return { tf, runtime: native === '@tensorflow/tfjs-node-gpu' ? 'tfjs-node-gpu' : 'tfjs-node' };
    } catch {
      // not installed: the normal case
    }
  }
  const tf = require('@tensorflow/tfjs') as Tf;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  const wasmEntry = require.resolve('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(path.dirname(wasmEntry) + path.sep);
  if (tf.getBackend() !== 'wasm') {
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('TF.js could not start its WebAssembly backend');
  }
  await tf.ready();
  return { tf, runtime: 'tfjs-wasm' };
}

export class TfjsEngine implements EmbeddingEngine {
  readonly modelId = BACKBONE_MODEL_ID;
  readonly inputSize = BACKBONE_INPUT_SIZE;

  private constructor(
    private readonly tf: Tf,
    private readonly model: import('@tensorflow/tfjs').GraphModel,
    readonly runtime: string,
    private readonly map: { height: number; width: number; channels: number },
  ) {}

  /** The R-MAC vector has one value per channel of the map. */
  get dims(): number {
    return this.map.channels;
  }

  static async create(): Promise<TfjsEngine> {
    const { tf, runtime } = await loadTf();
    const artifacts = loadBackboneArtifacts();
    const model = await tf.loadGraphModel(
      tf.io.fromMemory({
        modelTopology: artifacts.modelTopology as never,
        weightSpecs: artifacts.weightSpecs as never,
        weightData: artifacts.weightData,
      }),
    );
    // Warm-up also tells us the map's shape (7×7×1792 for this width-1.4 MobileNetV2).
    const probe = tf.zeros([1, BACKBONE_INPUT_SIZE, BACKBONE_INPUT_SIZE, 3]);
    const out = model.execute(probe, BACKBONE_OUTPUT_NODE) as import('@tensorflow/tfjs').Tensor;
    const [, height, width, channels] = out.shape as number[];
    tf.dispose([probe, out]);
    return new TfjsEngine(tf, model, runtime, { height, width, channels });
  }

  async embed(batch: Uint8Array[]): Promise<Float32Array[]> {
    if (batch.length === 0) return [];
    const { tf, inputSize } = this;
    const pixels = inputSize * inputSize * 3;
    const input = new Float32Array(batch.length * pixels);
    batch.forEach((rgb, b) => {
      if (rgb.length !== pixels) throw new Error(`expected ${pixels} RGB bytes, got ${rgb.length}`);
      const offset = b * pixels;
      for (let i = 0; i < pixels; i++) input[offset + i] = rgb[i] / 255;
    });
    const x = tf.tensor4d(input, [batch.length, inputSize, inputSize, 3]);
    const y = this.model.execute(x, BACKBONE_OUTPUT_NODE) as import('@tensorflow/tfjs').Tensor;
    const data = (await y.data()) as Float32Array;
    tf.dispose([x, y]);
    // The same pooling as the ONNX engine's (manifest pooling "rmac"), so both give the same vectors.
    const { height, width, channels } = this.map;
    const regions = rmacRegions(height, width);
    const per = height * width * channels;
    return batch.map((_, b) => rmacPool({ data, offset: b * per, height, width, channels, layout: 'NHWC' }, regions));
  }

  async dispose(): Promise<void> {
    this.model.dispose();
  }
}
