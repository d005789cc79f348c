/** Messages between the worker pool and its embedding workers (structured-clone data only). */
import type { EngineOptions } from './engine.js';
import type { PhotoFacts } from '../imaging/decode.js';

export interface WorkerConfig {
  engine: EngineOptions;
  /** Where thumbnails are written (<hash[0..2]>/<hash>.webp); absent = no thumbnails. */
  thumbnailDir?: string;
}

export interface WorkItem {
  /** A file to read, or ... */
  path?: string;
  /** ... bytes already in memory (drag-and-drop queries). */
  bytes?: Uint8Array;
  thumbnail: boolean;
}

export type WorkResult =
  | { ok: true; facts: PhotoFacts; vector: Float32Array; thumbnail: string | null }
  | { ok: false; reason: string };

export interface EngineInfo {
  modelId: string;
  runtime: string;
  dims: number;
  inputSize: number;
}

export type ToWorker = { type: 'process'; id: number; items: WorkItem[] };

export type FromWorker =
  | ({ type: 'ready' } & EngineInfo)
  | { type: 'startup-failed'; message: string }
  /** A line for the user (e.g. which execution provider runs); the pool prints each once. */
  | { type: 'log'; line: string }
  | { type: 'results'; id: number; results: WorkResult[] };
