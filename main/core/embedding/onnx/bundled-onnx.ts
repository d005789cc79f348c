/**
 * The bundled MobileNetV2 backbone as an ONNX file: converted from the nsfwjs TF.js graph on first
 * use and cached (never committed). Same function as the TF.js engine runs, hence the same modelId.
 */
import { createHash } from 'node:crypto';
import {
  BACKBONE_INPUT_NODE,
  BACKBONE_MODEL_ID,
  BACKBONE_OUTPUT_NODE,
  loadBackboneArtifacts,
  type GraphModelArtifacts,
} from '../bundled-backbone.js';
import { CONVERTER_VERSION, convertTfjsGraph } from './convert-tfjs.js';
import { cachedModelFile, getOrCreateModel, modelCacheDir, type CachedModel } from './model-cache.js';

export const BUNDLED_INPUT_NAME = 'input';
export const BUNDLED_OUTPUT_NAME = 'embedding';

/** Content hash of what the conversion depends on (16 hex chars is plenty to tell versions apart). */
export function conversionHash(artifacts: GraphModelArtifacts, outputNode: string): string {
  return createHash('sha256')
    .update(`converter-v${CONVERTER_VERSION}\n${outputNode}\n`)
    .update(JSON.stringify(artifacts.modelTopology.node))
    .update(JSON.stringify(artifacts.weightSpecs))
    .update(new Uint8Array(artifacts.weightData))
    .digest('hex')
    .slice(0, 16);
}

export function convertBundledBackbone(): Uint8Array {
  return convertTfjsGraph(loadBackboneArtifacts(), {
    inputNode: BACKBONE_INPUT_NODE,
    outputNode: BACKBONE_OUTPUT_NODE,
    inputName: BUNDLED_INPUT_NAME,
    outputName: BUNDLED_OUTPUT_NAME,
  });
}

/** Path of the converted backbone in the model cache, converting it if needed. */
export async function bundledBackboneOnnx(cacheDir = modelCacheDir()): Promise<CachedModel> {
  const artifacts = loadBackboneArtifacts();
  const file = cachedModelFile(BACKBONE_MODEL_ID, conversionHash(artifacts, BACKBONE_OUTPUT_NODE), cacheDir);
  return getOrCreateModel(file, convertBundledBackbone);
}
