/**
 * Loads onnxruntime-node lazily, so that a missing or broken native binding only fails the ONNX
 * engine (and `auto` can fall back to TF.js) instead of breaking module loading.
 *
 * LIKENESS_DISABLE_ONNX=1 makes the load fail as if the package were missing: for tests, and for
 * users who want to rule ONNX Runtime out when chasing a problem.
 */
import { createRequire } from 'node:module';

export type Ort = typeof import('onnxruntime-node');

const require = createRequire(import.meta.url);

export function onnxDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.LIKENESS_DISABLE_ONNX;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

export async function loadOrt(): Promise<Ort> {
  if (onnxDisabled()) throw new Error('onnxruntime-node disabled by LIKENESS_DISABLE_ONNX');
  // require() rather than import(): it is a CommonJS package and this keeps one module instance.
  return require('onnxruntime-node') as Ort;
}
