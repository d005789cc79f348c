/**
 * Pluggable models per library: a tiny VGG-style ONNX model with random weights (built here, with
 * its manifest, in a temporary $LIKENESS_MODELS_DIR) replaces the bundled backbone. Until the
 * library is re-embedded the old vectors keep answering; after an index pass every photo has one
 * vector of the new model, of the manifest's output size; switching back works the same way.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { BACKBONE_MODEL_ID } from '../../main/core/embedding/bundled-backbone.js';
import { vectorModelId } from '../../main/core/embedding/flip-average.js';
import { encodeModel, GraphBuilder } from '../../main/core/embedding/onnx/onnx-model.js';
import { Library } from '../../main/core/library.js';
import { CLI, ferrariPhotos, tempDir } from '../helpers/datasets.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const modelsDir = tempDir('likeness-models-');
process.env.LIKENESS_MODELS_DIR = modelsDir; // before any worker starts (workers copy the env)

let seed = 7;
const rand = (n: number): Float32Array =>
  Float32Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.5);

/** VGG-style: (conv3x3-relu-maxpool2) x2 on 32x32 NCHW input; [N,16,8,8] out, max-pooled to 16 dims. */
function writeTinyVgg(): void {
  const b = new GraphBuilder();
  const conv = (x: string, cin: number, cout: number): string =>
    b.node('Conv', [x, b.constFloat('w', [cout, cin, 3, 3], rand(cout * cin * 9)), b.constFloat('b', [cout], rand(cout))], {
      kernel_shape: { ints: [3, 3] },
      pads: { ints: [1, 1, 1, 1] },
    });
  const pool = { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } };
  const p1 = b.node('MaxPool', [b.node('Relu', [conv('pixels', 3, 8)])], pool);
  const out = b.node('MaxPool', [b.node('Relu', [conv(p1, 8, 16)])], pool, 'features');
  const model = b.build('tiny-vgg', [{ name: 'pixels', shape: ['N', 3, 32, 32] }], [{ name: out, shape: ['N', 16, 8, 8] }]);
  fs.writeFileSync(path.join(modelsDir, 'tiny-vgg.onnx'), encodeModel(model));
  const manifest = { id: 'tiny-vgg@test', file: 'tiny-vgg.onnx', inputSize: 32, layout: 'NCHW', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], outputName: 'features', pooling: 'max' };
  fs.writeFileSync(path.join(modelsDir, 'tiny-vgg.json'), JSON.stringify(manifest));
}

const work = tempDir('likeness-model-switch-');
const photosDir = path.join(work, 'photos');
const dbPath = path.join(work, 'library.db');
let library: Library | null = null;
after(async () => {
  await library?.close();
});

const OLD = vectorModelId(BACKBONE_MODEL_ID);
const NEW = vectorModelId('tiny-vgg@test');

function vectorRows(lib: Library): { file_id: number; model_id: string; bytes: number }[] {
  return lib.db.prepare('SELECT file_id, model_id, length(vector) AS bytes FROM vectors ORDER BY file_id, model_id').all() as {
    file_id: number;
    model_id: string;
    bytes: number;
  }[];
}

test('switching model re-embeds the library; old vectors serve until the new ones are complete', async () => {
  writeTinyVgg();
  const sources = ferrariPhotos();
  const picked = [0, 1, 2, 30, 31, 60].map((i) => sources[i]);
  fs.mkdirSync(photosDir, { recursive: true });
  const photos: string[] = [];
  for (const [i, src] of picked.entries()) {
    const file = path.join(photosDir, `p${i}.jpg`);
    await sharp(src).resize(128, 128, { fit: 'inside' }).jpeg().toFile(file);
    photos.push(file);
  }
  const external = path.join(work, 'external.jpg');
  await sharp(sources[90]).resize(128, 128, { fit: 'inside' }).jpeg().toFile(external);

  library = Library.open({ dbPath, workers: 1 });
  const lib = library;
  const first = await lib.index([photosDir]);
  assert.equal(first.indexed, photos.length);
  assert.equal(lib.modelId, OLD);
  assert.equal(lib.targetModelId, OLD);
  const [before] = await lib.similar([photos[0]], 3);
  const [beforeExternal] = await lib.similar([external], 3);
  assert.equal(before.results.length, 3);

  const listed = lib.models();
  assert.ok(listed.some((m) => m.id === 'tiny-vgg@test' && !m.target && !m.serving));
  assert.ok(listed.some((m) => m.id === BACKBONE_MODEL_ID && m.target && m.serving));

  // Switch: nothing re-embedded yet, the old vectors keep answering (external queries too).
  const change = await lib.setModel('tiny-vgg@test');
  assert.deepEqual(change, { target: NEW, serving: OLD, toReembed: photos.length });
  assert.equal(lib.modelId, OLD);
  assert.deepEqual(await lib.similar([photos[0]], 3), [before]);
  const [externalDuring] = await lib.similar([external], 3);
  assert.deepEqual(externalDuring.results.map((r) => r.path), beforeExternal.results.map((r) => r.path));
  assert.equal(lib.status().indexed, photos.length, 'no photo left the index during the switch');

  // Re-embed: every file ends with exactly one vector, of the new model and the manifest's size.
  const second = await lib.index([photosDir]);
  assert.equal(second.indexed, photos.length);
  assert.equal(second.reembedded, photos.length, 'unchanged files, embedded again for the new model');
  assert.equal(second.added + second.updated, 0);
  assert.equal(lib.modelId, NEW);
  const rows = vectorRows(lib);
  assert.equal(rows.length, photos.length);
  assert.equal(new Set(rows.map((r) => r.file_id)).size, photos.length);
  for (const r of rows) {
    assert.equal(r.model_id, NEW);
    assert.equal(r.bytes, 16 * 4, '16 channels, max-pooled');
  }
  const [afterSwitch] = await lib.similar([photos[0]], 3);
  assert.equal(afterSwitch.results.length, 3);
  assert.ok(afterSwitch.results.every((r) => r.path !== photos[0]));
  assert.notDeepEqual(afterSwitch.results.map((r) => r.score), before.results.map((r) => r.score), 'answers come from the new space');
  assert.equal(lib.searchIndex().size, photos.length, 'the search index was rebuilt in the new space');
  assert.equal(lib.toSearchSpace(new Float32Array(16)).length, 16);
  const [externalNew] = await lib.similar([external], 2);
  assert.equal(externalNew.results.length, 2);
  assert.ok(lib.models().some((m) => m.id === 'tiny-vgg@test' && m.target && m.serving));

  // A new Library on the same database serves the new model (the setting persists).
  await lib.close();
  library = Library.open({ dbPath, workers: 1 });
  assert.equal(library.modelId, NEW);

  // And back to the bundled backbone: same answers as at the start.
  const back = await library.setModel(BACKBONE_MODEL_ID);
  assert.deepEqual(back, { target: OLD, serving: NEW, toReembed: photos.length });
  await library.index([photosDir]);
  assert.equal(library.modelId, OLD);
  assert.ok(vectorRows(library).every((r) => r.model_id === OLD));
  const [again] = await library.similar([photos[0]], 3);
  assert.deepEqual(again.results.map((r) => r.path), before.results.map((r) => r.path));
});

test('likeness model list / use (CLI)', async () => {
  await library?.close();
  library = null;
  const run = (...args: string[]) => execFileSync(process.execPath, [CLI, 'model', ...args, '--db', dbPath, '--json'], { encoding: 'utf8', env: process.env });
  const models = JSON.parse(run('list')) as { id: string; target: boolean }[];
  assert.ok(models.some((m) => m.id === 'tiny-vgg@test' && !m.target));
  const used = JSON.parse(run('use', path.join(modelsDir, 'tiny-vgg.json'))) as { target: string; serving: string; toReembed: number };
  assert.deepEqual(used, { target: NEW, serving: OLD, toReembed: 6 });
  assert.throws(() => run('use', 'no-such-model'), /no model manifest/);
});
