/**
 * Picks and builds the embedding engine named in the options. Called inside each worker thread.
 */
import type { EmbeddingEngine, EngineOptions } from './engine.js';
import { TfjsEngine } from './tfjs-engine.js';

export async function createEngine(options: EngineOptions): Promise<EmbeddingEngine> {
  switch (options.engine) {
    case 'tfjs':
    case 'auto': // until the ONNX Runtime engine lands, auto means TF.js
      return TfjsEngine.create();
    case 'onnx':
      throw new Error('the onnx engine is not available in this build');
  }
}
