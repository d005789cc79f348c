/**
 * The two engines are interchangeable for a user: the same photos indexed once with ONNX Runtime
 * and once with TF.js-wasm give the same `similar` rankings (issue 5 asks for a top-10 overlap of
 * at least 0.9; with vectors at cosine 1 − 1e-12 we expect 1). Both store their vectors under the
 * library's model id, whatever the engine (Library.targetModelId): nothing to compare there.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import type { EngineName } from '../../main/core/embedding/engine.js';
import { FERRARI, ferrariPhotos, tempDir } from '../helpers/datasets.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

process.env.LIKENESS_MODEL_CACHE ??= path.join(os.tmpdir(), 'likeness-test-model-cache');

const K = 10;
const root = tempDir();
const libraries = new Map<EngineName, Library>();

before(async () => {
  for (const engine of ['onnx', 'tfjs'] as const) {
    const library = Library.open({ dbPath: path.join(root, engine, 'library.db'), engine });
    const summary = await library.index([FERRARI]);
    assert.equal(summary.failed, 0);
    libraries.set(engine, library);
  }
});

after(async () => {
  for (const library of libraries.values()) await library.close();
});

test(`similar: the top-${K} of every photo agrees between the engines (mean overlap ≥ 0.9)`, async (t) => {
  const photos = ferrariPhotos();
  const [onnx, tfjs] = await Promise.all([libraries.get('onnx')!.similar(photos, K), libraries.get('tfjs')!.similar(photos, K)]);
  let total = 0;
  let worst = 1;
  onnx.forEach((answer, i) => {
    assert.equal(answer.results.length, K);
    const other = new Set(tfjs[i].results.map((hit) => hit.path));
    const overlap = answer.results.filter((hit) => other.has(hit.path)).length / K;
    total += overlap;
    worst = Math.min(worst, overlap);
  });
  const mean = total / photos.length;
  t.diagnostic(`mean top-${K} overlap ${mean.toFixed(3)}, worst ${worst}`);
  assert.ok(mean >= 0.9, `mean top-${K} overlap ${mean.toFixed(3)} (worst ${worst})`);
  assert.ok(worst >= 0.8, `worst top-${K} overlap ${worst}`);
});
