/**
 * createEngine: 'onnx' builds the ONNX Runtime engine, 'auto' prefers it and falls back to TF.js
 * with one logged reason when ONNX Runtime is missing (simulated with LIKENESS_DISABLE_ONNX=1 or an
 * injected failure), and only the bundled backbone may fall back.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BACKBONE_MODEL_ID } from '../../main/core/embedding/bundled-backbone.js';
import { createEngine } from '../../main/core/embedding/create-engine.js';
import type { EmbeddingEngine } from '../../main/core/embedding/engine.js';

process.env.LIKENESS_MODEL_CACHE ??= path.join(os.tmpdir(), 'likeness-test-model-cache');

const fake = (runtime: string): EmbeddingEngine => ({
  modelId: BACKBONE_MODEL_ID, runtime, dims: 1792, inputSize: 224,
  embed: async () => [], dispose: async () => {},
});
const failing = async (): Promise<EmbeddingEngine> => {
  throw new Error("Cannot find module 'onnxruntime-node'\nRequire stack: ...");
};

async function withOnnxDisabled<T>(fn: () => Promise<T>): Promise<T> {
  process.env.LIKENESS_DISABLE_ONNX = '1';
  try {
    return await fn();
  } finally {
    delete process.env.LIKENESS_DISABLE_ONNX;
  }
}

test('auto uses ONNX Runtime when it is available', async () => {
  const lines: string[] = [];
  const engine = await createEngine({ engine: 'auto', threads: 1 }, { log: (l) => lines.push(l) });
  assert.equal(engine.runtime, 'onnx-cpu');
  assert.equal(engine.modelId, BACKBONE_MODEL_ID);
  assert.equal(engine.dims, 1792);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^likeness: ONNX Runtime CPU execution provider runs .* \(1 thread\)/);
  await engine.dispose();
});

test('auto falls back to the real TF.js engine when onnxruntime-node is missing (LIKENESS_DISABLE_ONNX=1)', async () => {
  const lines: string[] = [];
  const engine = await withOnnxDisabled(() => createEngine({ engine: 'auto' }, { log: (l) => lines.push(l) }));
  assert.equal(engine.runtime, 'tfjs-wasm');
  assert.equal(engine.modelId, BACKBONE_MODEL_ID);
  assert.deepEqual(lines, ['likeness: ONNX Runtime unavailable (onnxruntime-node disabled by LIKENESS_DISABLE_ONNX), using TF.js-wasm']);
  await engine.dispose();
});

test('onnx does not fall back', async () => {
  await withOnnxDisabled(() => assert.rejects(createEngine({ engine: 'onnx' }, { log: () => {} }), /LIKENESS_DISABLE_ONNX/));
});

test('auto with an injected ONNX failure logs one line (first line of the error) and uses TF.js', async () => {
  const lines: string[] = [];
  const engine = await createEngine(
    { engine: 'auto' },
    { createOnnx: failing, createTfjs: async () => fake('tfjs-wasm'), log: (l) => lines.push(l) },
  );
  assert.equal(engine.runtime, 'tfjs-wasm');
  assert.deepEqual(lines, ["likeness: ONNX Runtime unavailable (Cannot find module 'onnxruntime-node'), using TF.js-wasm"]);
});

test('only the bundled backbone falls back to (or runs on) TF.js', async () => {
  const tfjs = { createTfjs: async () => fake('tfjs-wasm') };
  assert.equal((await createEngine({ engine: 'tfjs', model: 'mobilenet_v2_140' }, tfjs)).runtime, 'tfjs-wasm');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-engine-test-'));
  const manifest = path.join(dir, 'other.json');
  fs.writeFileSync(manifest, JSON.stringify({ id: 'other@1', file: 'other.onnx', inputSize: 224, layout: 'NCHW' }));
  await assert.rejects(createEngine({ engine: 'auto', model: manifest }, { ...tfjs, createOnnx: failing }), /onnxruntime-node/);
  await assert.rejects(createEngine({ engine: 'tfjs', model: manifest }, tfjs), /only runs the bundled backbone/);
  fs.rmSync(dir, { recursive: true, force: true });
});
