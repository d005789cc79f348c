/**
 * Picks and builds the embedding engine named in the options. Called inside each worker thread.
 *
 *   onnx : ONNX Runtime (errors propagate)
 *   tfjs : TF.js (bundled backbone only)
 *   auto : ONNX Runtime, else TF.js with one stderr line saying why. Only the bundled backbone can
 *          fall back (TF.js cannot run other models); for any other model the ONNX error stands.
 */
import type { EmbeddingEngine, EngineOptions } from './engine.js';
import { isBundledBackbone, resolveModel } from './models/manifest.js';
import { firstLine } from './onnx/providers.js';

export interface EngineDeps {
  /** Builds the ONNX engine (tests inject failures here; LIKENESS_DISABLE_ONNX=1 also works). */
  createOnnx?: (options: EngineOptions) => Promise<EmbeddingEngine>;
  createTfjs?: () => Promise<EmbeddingEngine>;
  log?: (line: string) => void;
}

const stderrLine = (line: string): void => void process.stderr.write(`${line}\n`);

async function defaultOnnx(options: EngineOptions, log: (line: string) => void): Promise<EmbeddingEngine> {
  const { OnnxEngine } = await import('./onnx/onnx-engine.js');
  return OnnxEngine.create({ threads: options.threads, model: options.model, log });
}

async function defaultTfjs(): Promise<EmbeddingEngine> {
  const { TfjsEngine } = await import('./tfjs-engine.js');
  return TfjsEngine.create();
}

export async function createEngine(options: EngineOptions, deps: EngineDeps = {}): Promise<EmbeddingEngine> {
  const log = deps.log ?? stderrLine;
  const onnx = deps.createOnnx ?? ((o: EngineOptions) => defaultOnnx(o, log));
  const tfjs = deps.createTfjs ?? defaultTfjs;
  switch (options.engine) {
    case 'onnx':
      return onnx(options);
    case 'tfjs':
      if (!isBundledBackbone(resolveModel(options.model))) {
        throw new Error(`the tfjs engine only runs the bundled backbone, not ${options.model}`);
      }
      return tfjs();
    case 'auto': {
      const bundled = isBundledBackbone(resolveModel(options.model));
      try {
        return await onnx(options);
      } catch (err) {
        if (!bundled) throw err;
        const engine = await tfjs();
        const name = engine.runtime === 'tfjs-wasm' ? 'TF.js-wasm' : engine.runtime;
        log(`likeness: ONNX Runtime unavailable (${firstLine(err)}), using ${name}`);
        return engine;
      }
    }
    default:
      throw new Error(`unknown engine ${String((options as EngineOptions).engine)}`);
  }
}
