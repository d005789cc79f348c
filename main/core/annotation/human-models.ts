/**
 * The TF.js graph models that `@vladmandic/human` ships (object detector, face detector, face
 * descriptor), loaded from its `models/` folder on TF.js's WebAssembly backend. Nothing is
 * fetched: the files are read from the installed package.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
export type Tf = typeof import('@tensorflow/tfjs');
export type GraphModel = import('@tensorflow/tfjs').GraphModel;

function humanModels(): string {
  const entry = require.resolve('@vladmandic/human');
  const root = entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`));
  return path.join(root, 'models');
}

/** The installed `@vladmandic/human` version: part of every model id made from its models. */
export function humanVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(humanModels(), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

export async function loadTf(): Promise<Tf> {
  const tf = require('@tensorflow/tfjs') as Tf;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) throw new Error('TF.js could not start its WebAssembly backend');
  await tf.ready();
  return tf;
}

/** Loads `models/<name>.json` + `.bin` from the package. */
export async function loadHumanModel(tf: Tf, name: string): Promise<GraphModel> {
  const dir = humanModels();
  const json = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'));
  const bin = fs.readFileSync(path.join(dir, `${name}.bin`));
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
    }),
  );
}
