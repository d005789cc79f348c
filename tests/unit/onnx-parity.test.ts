/**
 * Parity: the converted backbone on ONNX Runtime computes the same vectors as TF.js-wasm on real
 * photos (cosine >= 0.9999), which is what lets both engines share one modelId and one library.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import sharp from 'sharp';
import { BACKBONE_MODEL_ID } from '../../main/core/embedding/bundled-backbone.js';
import { OnnxEngine } from '../../main/core/embedding/onnx/onnx-engine.js';
import { TfjsEngine } from '../../main/core/embedding/tfjs-engine.js';

// Content-addressed, so sharing one folder between runs is safe and skips re-conversion.
process.env.LIKENESS_MODEL_CACHE ??= path.join(os.tmpdir(), 'likeness-test-model-cache');

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const datasetDir = path.resolve(repoRoot, '../shared/datasets/ferrari-100');

/** One JPEG from each colour folder, decoded like the app does: 224x224 RGB, stretched. */
async function photos(): Promise<{ name: string; rgb: Uint8Array }[]> {
  const out: { name: string; rgb: Uint8Array }[] = [];
  for (const folder of ['black', 'red', 'white', 'yellow']) {
    const jpg = fs.readdirSync(path.join(datasetDir, folder)).filter((f) => f.endsWith('.jpg')).sort()[0];
    const file = path.join(datasetDir, folder, jpg);
    const raw = await sharp(file).resize(224, 224, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    out.push({ name: `${folder}/${jpg}`, rgb: new Uint8Array(raw) });
  }
  return out;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

test('ONNX and TF.js give the same backbone vectors on real photos', { skip: !fs.existsSync(datasetDir) && `no ${datasetDir}` }, async () => {
  const images = await photos();
  const rgb = images.map((i) => i.rgb);
  const tfjs = await TfjsEngine.create();
  const onnx = await OnnxEngine.create({ log: () => {} });
  assert.equal(onnx.modelId, BACKBONE_MODEL_ID);
  assert.equal(onnx.modelId, tfjs.modelId);
  assert.equal(onnx.dims, 1792);
  assert.equal(onnx.dims, tfjs.dims);

  const expected = await tfjs.embed(rgb);
  const batched = await onnx.embed(rgb);
  for (const [i, img] of images.entries()) {
    const [single] = await onnx.embed([img.rgb]);
    const cos = cosine(batched[i], expected[i]);
    console.log(`# ${img.name}: cosine ONNX vs TF.js ${cos.toFixed(9)} (1 - cos = ${(1 - cos).toExponential(1)})`);
    assert.ok(cos >= 0.9999, `${img.name}: cosine ${cos}`);
    assert.ok(cosine(single, batched[i]) >= 0.99999, `${img.name}: batched and single ONNX runs differ`);
  }
  // Different photos must still be told apart (guards against a degenerate conversion).
  assert.ok(cosine(batched[0], batched[1]) < 0.99);
  await Promise.all([tfjs.dispose(), onnx.dispose()]);
});
