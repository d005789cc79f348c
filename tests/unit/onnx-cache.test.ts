/**
 * Model cache: folder per platform and env override, file naming, convert-once, and two worker
 * threads converting the bundled backbone into the same empty cache at the same time, and
 * recovery from a damaged cached file.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { bundledBackboneOnnx } from '../../main/core/embedding/onnx/bundled-onnx.js';
import { cachedModelFile, getOrCreateModel, modelCacheDir } from '../../main/core/embedding/onnx/model-cache.js';
import { OnnxEngine } from '../../main/core/embedding/onnx/onnx-engine.js';
import { loadOrt } from '../../main/core/embedding/onnx/ort.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-cache-test-'));

test('the cache folder follows the platform conventions and LIKENESS_MODEL_CACHE', () => {
  const home = '/home/u';
  assert.equal(modelCacheDir({}, 'linux', home), path.join(home, '.cache', 'likeness', 'models'));
  assert.equal(modelCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', home), path.join('/xdg', 'likeness', 'models'));
  assert.equal(modelCacheDir({}, 'darwin', home), path.join(home, 'Library', 'Caches', 'likeness', 'models'));
  assert.equal(modelCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', home), path.join('C:\\Users\\u\\AppData\\Local', 'likeness', 'models'));
  assert.equal(modelCacheDir({ LIKENESS_MODEL_CACHE: '/elsewhere', XDG_CACHE_HOME: '/xdg' }, 'linux', home), path.resolve('/elsewhere'));
});

test('cache file names are filesystem-safe and carry the hash', () => {
  assert.equal(path.basename(cachedModelFile('a/b:c@1', 'abc123', '/d')), 'a_b_c@1-abc123.onnx');
});

test('getOrCreateModel produces once, then hits', async () => {
  const dir = tmp();
  const file = path.join(dir, 'sub', 'm-1.onnx');
  let calls = 0;
  const produce = (): Uint8Array => (calls++, new Uint8Array([1, 2, 3]));
  const first = await getOrCreateModel(file, produce);
  const second = await getOrCreateModel(file, produce);
  assert.equal(calls, 1);
  assert.deepEqual([first.created, second.created], [true, false]);
  assert.deepEqual([...fs.readFileSync(file)], [1, 2, 3]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('two threads converting into the same cache leave one complete, loadable model', async () => {
  const dir = tmp();
  const moduleUrl = new URL('../../main/core/embedding/onnx/bundled-onnx.js', import.meta.url).href;
  const convertInWorker = () =>
    new Promise<{ path: string; created: boolean }>((resolve, reject) => {
      const w = new Worker(
        `import(${JSON.stringify(moduleUrl)}).then((m) => m.bundledBackboneOnnx(${JSON.stringify(dir)}))
           .then((r) => require('node:worker_threads').parentPort.postMessage(r));`,
        { eval: true },
      );
      w.once('message', resolve);
      w.once('error', reject);
    });
  const results = await Promise.all([convertInWorker(), convertInWorker()]);
  assert.equal(results[0].path, results[1].path);
  assert.deepEqual(fs.readdirSync(dir), [path.basename(results[0].path)]); // no temp files left
  assert.match(path.basename(results[0].path), /^mobilenet_v2_140_224-tfhub-featurevector@nsfwjs-mid-[0-9a-f]{16}\.onnx$/);

  const again = await bundledBackboneOnnx(dir);
  assert.equal(again.created, false);
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(again.path);
  assert.deepEqual(session.outputNames, ['embedding']);
  await session.release();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a damaged cached model is converted again', async () => {
  const dir = tmp();
  const { path: file } = await bundledBackboneOnnx(dir);
  fs.writeFileSync(file, 'not a model');
  process.env.LIKENESS_MODEL_CACHE = dir;
  try {
    const engine = await OnnxEngine.create({ log: () => {} });
    assert.equal(engine.dims, 1792);
    assert.ok(fs.statSync(file).size > 1e6);
    await engine.dispose();
  } finally {
    delete process.env.LIKENESS_MODEL_CACHE;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
