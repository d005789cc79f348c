/**
 * The bundled CNN: the TF-Hub ImageNet MobileNetV2 (width 1.4) feature-vector backbone that ships
 * inside the `nsfwjs` package's `mobilenet_v2_mid` graph model. We take its last convolutional map
 * (7×7×1792, before the graph's own average pooling) and pool it with R-MAC (rmac.ts); the NSFW
 * classifier head after it is not used. Weights come from the installed package only.
 *
 * nsfwjs ships the model as UMD bundles (`model.min.js` = model.json, `group1-shardNofM.min.js` =
 * base64 weight shards); we read them with `require` from the package folder.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const BACKBONE_MODEL_ID = 'mobilenet_v2_140_224-tfhub-featurevector@nsfwjs-mid';
export const BACKBONE_INPUT_NODE = 'input';
/** The last convolutional map, [N,7,7,1792] NHWC (Conv_1 + ReLU6), which the graph then average-pools. */
export const BACKBONE_OUTPUT_NODE =
  'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/MobilenetV2/Conv_1/Relu6';
/**
 * How the bundled backbone's map becomes a vector. Part of the vector model id (flip-average.ts):
 * the average-pooled vectors of earlier versions are not comparable.
 */
export const BACKBONE_POOLING = 'rmac';
export const BACKBONE_INPUT_SIZE = 224;

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; min?: number; scale?: number; original_dtype?: string };
}

export interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TF.js's graph JSON: attributes of every op's own shape
  attr?: Record<string, any>;
  device?: string;
}

export interface GraphModelArtifacts {
  modelTopology: { node: GraphNode[]; [k: string]: unknown };
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
}

let cached: GraphModelArtifacts | undefined;

function modelFolder(): string {
  // nsfwjs's "exports" map hides dist/, so resolve the package root from its main entry.
  const entry = require.resolve('nsfwjs');
  const root = entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`));
  return path.join(root, 'dist', 'models', 'mobilenet_v2_mid');
}

/** The graph model (topology + still-quantised weights) exactly as the package ships it. */
export function loadBackboneArtifacts(): GraphModelArtifacts {
  if (cached) return cached;
  const folder = modelFolder();
  const json = require(path.join(folder, 'model.min.js')) as {
    modelTopology: GraphModelArtifacts['modelTopology'];
    weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  };
  const shards: Buffer[] = [];
  const weightSpecs: WeightSpec[] = [];
  for (const group of json.weightsManifest) {
    for (const shard of group.paths) {
      const base64 = require(path.join(folder, `${shard}.min.js`)) as string;
      shards.push(Buffer.from(base64, 'base64'));
    }
    weightSpecs.push(...group.weights);
  }
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  cached = { modelTopology: json.modelTopology, weightSpecs, weightData };
  return cached;
}
