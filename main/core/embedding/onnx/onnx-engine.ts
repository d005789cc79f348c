/**
 * ONNX Runtime engine. Runs either the bundled backbone (converted from TF.js on first use, same
 * function and therefore the same modelId as the TF.js engine) or any model described by a
 * manifest (see models/manifest.ts), applying that manifest's preprocessing and pooling.
 *
 * One instance per worker thread; intra-op threads default to 1 because the pool already runs
 * one worker per core.
 */
import fs from 'node:fs/promises';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { EmbeddingEngine } from '../engine.js';
import { loadManifest, resolveModel, type ModelSpec } from '../models/manifest.js';
import { bundledBackboneOnnx } from './bundled-onnx.js';
import { rmacPool, rmacRegions } from '../rmac.js';
import { loadOrt, type Ort } from './ort.js';
import { createSession } from './providers.js';

export interface OnnxEngineOptions {
  /** Intra-op threads (default 1). */
  threads?: number;
  /** Manifest path or model id; default: the bundled backbone. */
  model?: string;
  /** Where the one "which provider runs" line goes (default: stderr). */
  log?: (line: string) => void;
}

const PROVIDER_LABEL: Record<string, string> = { cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML', coreml: 'CoreML' };

export class OnnxEngine implements EmbeddingEngine {
  readonly modelId: string;
  readonly inputSize: number;
  /** Vector length, known after the warm-up run in fromSpec. */
  private outputDims = 0;
  /** Per-channel lookup table: lut[c * 256 + v] = (v * scale - mean[c]) / std[c]. */
  private readonly lut: Float32Array;
  /** False when the model's batch dimension is fixed to 1: we then run images one at a time. */
  private readonly batched: boolean;

  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    private readonly spec: ModelSpec,
    readonly runtime: string,
    private readonly inputName: string,
    private readonly outputName: string,
  ) {
    this.modelId = spec.id;
    this.inputSize = spec.inputSize;
    this.lut = new Float32Array(3 * 256);
    for (let c = 0; c < 3; c++)
      for (let v = 0; v < 256; v++) this.lut[c * 256 + v] = (v * spec.scale - spec.mean[c]) / spec.std[c];
    const meta = session.inputMetadata.find((m) => m.name === inputName);
    this.batched = !(meta && meta.isTensor && meta.shape[0] === 1);
  }

  get dims(): number {
    return this.outputDims;
  }

  static async create(options: OnnxEngineOptions = {}): Promise<OnnxEngine> {
    return OnnxEngine.fromSpec(resolveModel(options.model), options);
  }

  static async fromManifest(manifestPath: string, options: Omit<OnnxEngineOptions, 'model'> = {}): Promise<OnnxEngine> {
    return OnnxEngine.fromSpec(loadManifest(manifestPath), options);
  }

  static async fromSpec(spec: ModelSpec, options: Omit<OnnxEngineOptions, 'model'> = {}): Promise<OnnxEngine> {
    const ort = await loadOrt();
    const threads = Math.max(1, Math.floor(options.threads ?? 1));
    const { file, session, provider, fallbackReason } = await openModel(ort, spec, threads);
    try {
      const inputName = pickName(spec.inputName, session.inputNames, 'input', file);
      const outputName = pickName(spec.outputName, session.outputNames, 'output', file);
      const engine = new OnnxEngine(ort, session, spec, `onnx-${provider}`, inputName, outputName);
      // Warm-up also tells us the vector length.
      const [probe] = await engine.embed([new Uint8Array(spec.inputSize * spec.inputSize * 3)]);
      engine.outputDims = probe.length;
      const label = PROVIDER_LABEL[provider] ?? provider;
      const why = fallbackReason ? ` (${fallbackReason})` : '';
      (options.log ?? ((l) => process.stderr.write(`${l}\n`)))(
        `likeness: ONNX Runtime ${label} execution provider runs ${spec.id} (${threads} thread${threads === 1 ? '' : 's'})${why}`,
      );
      return engine;
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  async embed(batch: Uint8Array[]): Promise<Float32Array[]> {
    if (batch.length === 0) return [];
    if (!this.batched && batch.length > 1) {
      const out: Float32Array[] = [];
      for (const image of batch) out.push(...(await this.embed([image])));
      return out;
    }
    const size = this.inputSize;
    const shape = this.spec.layout === 'NHWC' ? [batch.length, size, size, 3] : [batch.length, 3, size, size];
    const input = new this.ort.Tensor('float32', this.preprocess(batch), shape);
    const results = await this.session.run({ [this.inputName]: input });
    const output = results[this.outputName];
    try {
      return this.postprocess(output, batch.length);
    } finally {
      input.dispose();
      for (const t of Object.values(results)) t.dispose();
    }
  }

  /** RGB HWC bytes -> float tensor data in the model's layout and normalisation. */
  private preprocess(batch: Uint8Array[]): Float32Array {
    const pixels = this.inputSize * this.inputSize;
    const data = new Float32Array(batch.length * pixels * 3);
    const lut = this.lut;
    batch.forEach((rgb, b) => {
      if (rgb.length !== pixels * 3) throw new Error(`expected ${pixels * 3} RGB bytes, got ${rgb.length}`);
      const base = b * pixels * 3;
      if (this.spec.layout === 'NHWC') {
        for (let i = 0; i < pixels * 3; i += 3) {
          data[base + i] = lut[rgb[i]];
          data[base + i + 1] = lut[256 + rgb[i + 1]];
          data[base + i + 2] = lut[512 + rgb[i + 2]];
        }
      } else {
        for (let p = 0; p < pixels; p++) {
          data[base + p] = lut[rgb[p * 3]];
          data[base + pixels + p] = lut[256 + rgb[p * 3 + 1]];
          data[base + 2 * pixels + p] = lut[512 + rgb[p * 3 + 2]];
        }
      }
    });
    return data;
  }

  /** Output tensor -> one vector per image, pooling spatial dims if the manifest asks to (avg, max or R-MAC). */
  private postprocess(output: Tensor | undefined, n: number): Float32Array[] {
    if (!output || output.type !== 'float32') throw new Error(`model output ${this.outputName} is not a float32 tensor`);
    const dims = output.dims;
    const data = output.data as Float32Array;
    if (dims[0] !== n) throw new Error(`model output has batch ${dims[0]} for ${n} images`);
    const per = data.length / n;
    const pooling = this.spec.pooling;
    if (pooling === 'none' || dims.length === 2) {
      return Array.from({ length: n }, (_, b) => data.slice(b * per, (b + 1) * per));
    }
    if (dims.length !== 4) throw new Error(`cannot ${pooling}-pool a model output of shape [${dims}]`);
    const nchw = this.spec.layout === 'NCHW';
    const channels = nchw ? dims[1] : dims[3];
    if (pooling === 'rmac') {
      const [height, width] = nchw ? [dims[2], dims[3]] : [dims[1], dims[2]];
      const regions = rmacRegions(height, width);
      return Array.from({ length: n }, (_, b) =>
        rmacPool({ data, offset: b * per, height, width, channels, layout: this.spec.layout }, regions),
      );
    }
    const spatial = per / channels;
    // Element (c, p) of image b sits at c*spatial + p (NCHW) or p*channels + c (NHWC).
    const [cStride, pStride] = nchw ? [spatial, 1] : [1, channels];
    return Array.from({ length: n }, (_, b) => {
      const v = new Float32Array(channels);
      const base = b * per;
      for (let c = 0; c < channels; c++) {
        let acc = pooling === 'max' ? -Infinity : 0;
        for (let p = 0; p < spatial; p++) {
          const x = data[base + c * cStride + p * pStride];
          acc = pooling === 'max' ? Math.max(acc, x) : acc + x;
        }
        v[c] = pooling === 'max' ? acc : acc / spatial;
      }
      return v;
    });
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** Opens the model file; a cached conversion that will not load (damaged) is redone once. */
async function openModel(ort: Ort, spec: ModelSpec, threads: number) {
  if (spec.source !== 'bundled-backbone') return { file: spec.file!, ...(await createSession(ort, spec.file!, threads)) };
  const cached = await bundledBackboneOnnx();
  try {
    return { file: cached.path, ...(await createSession(ort, cached.path, threads)) };
  } catch (err) {
    if (cached.created) throw err;
    await fs.rm(cached.path, { force: true });
    const fresh = await bundledBackboneOnnx();
    return { file: fresh.path, ...(await createSession(ort, fresh.path, threads)) };
  }
}

function pickName(wanted: string | undefined, available: readonly string[], kind: string, file: string): string {
  if (wanted === undefined) {
    if (available.length === 0) throw new Error(`model ${file} has no ${kind}`);
    return available[0];
  }
  if (!available.includes(wanted)) throw new Error(`model ${file} has no ${kind} "${wanted}" (it has ${available.join(', ')})`);
  return wanted;
}
