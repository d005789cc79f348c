/**
 * The contract every embedding engine fulfils (TF.js-wasm today, ONNX Runtime next).
 *
 * Engines own their preprocessing: callers hand over plain RGB pixels, already resized to
 * `inputSize`×`inputSize` (HWC, 8-bit), and get back one raw (unwhitened, unnormalised) vector per
 * image. That keeps decoding in one place (imaging/) and lets models differ in scaling and layout.
 */
export interface EmbeddingEngine {
  /** Identifies the model *and* its preprocessing: vectors of different ids are never mixed. */
  readonly modelId: string;
  /** Which runtime runs it, for logs and benchmarks ("tfjs-wasm", "onnx-cpu", ...). */
  readonly runtime: string;
  readonly dims: number;
  readonly inputSize: number;
  embed(batch: Uint8Array[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

export type EngineName = 'auto' | 'onnx' | 'tfjs';

/** What a worker needs to build an engine of its own (plain data: it crosses thread boundaries). */
export interface EngineOptions {
  engine: EngineName;
  /** Intra-op threads for engines that have them. */
  threads?: number;
  /** Model manifest path or id (see models/manifest.ts); default: the bundled backbone. */
  model?: string;
}
