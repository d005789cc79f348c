/**
 * Pluggable models: manifests (validation, lookup by path / id / file stem, the bundled one) and
 * OnnxEngine.fromManifest on tiny ONNX models built here with random weights: output sizes,
 * preprocessing (scale/mean/std, NCHW and NHWC), pooling, batching, fixed-batch models.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { BACKBONE_MODEL_ID } from '../../main/core/embedding/bundled-backbone.js';
import { createEngine } from '../../main/core/embedding/create-engine.js';
import { listManifests, loadManifest, parseManifest, resolveModel } from '../../main/core/embedding/models/manifest.js';
import { OnnxEngine } from '../../main/core/embedding/onnx/onnx-engine.js';
import { encodeModel, GraphBuilder } from '../../main/core/embedding/onnx/onnx-model.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-models-test-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const quiet = { log: () => {} };

let seed = 1;
const rand = (n: number): Float32Array =>
  Float32Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.5);

/** Conv with random weights (or given ones), "same" padding for odd kernels. */
function conv(b: GraphBuilder, x: string, cin: number, cout: number, k: number, weights?: number[]): string {
  const w = b.constFloat('w', [cout, cin, k, k], weights ? Float32Array.from(weights) : rand(cout * cin * k * k));
  const bias = b.constFloat('b', [cout], weights ? new Float32Array(cout) : rand(cout));
  const p = (k - 1) / 2;
  return b.node('Conv', [x, w, bias], { kernel_shape: { ints: [k, k] }, pads: { ints: [p, p, p, p] } });
}

function save(name: string, b: GraphBuilder, input: (number | string)[], output: string, outShape: (number | string)[], manifest: object): string {
  fs.writeFileSync(path.join(dir, `${name}.onnx`), encodeModel(b.build(name, [{ name: 'pixels', shape: input }], [{ name: output, shape: outShape }])));
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ file: `${name}.onnx`, ...manifest }));
  return file;
}

/** ResNet-style: conv-relu, conv, residual add, relu; [N,8,16,16] out, pooled by the engine. */
function tinyResnet(): string {
  const b = new GraphBuilder();
  const h = b.node('Relu', [conv(b, 'pixels', 3, 8, 3)]);
  const out = b.node('Relu', [b.node('Add', [h, conv(b, h, 8, 8, 3)])], undefined, 'features');
  return save('tiny-resnet', b, ['N', 3, 16, 16], out, ['N', 8, 16, 16], {
    id: 'tiny-resnet@test', inputSize: 16, layout: 'NCHW', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], pooling: 'avg',
  });
}

/** VGG-style: (conv-relu-maxpool) x2; [N,16,4,4] out. */
function tinyVgg(): string {
  const b = new GraphBuilder();
  const pool = { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } };
  const p1 = b.node('MaxPool', [b.node('Relu', [conv(b, 'pixels', 3, 8, 3)])], pool);
  const out = b.node('MaxPool', [b.node('Relu', [conv(b, p1, 8, 16, 3)])], pool, 'features');
  return save('tiny-vgg', b, ['N', 3, 16, 16], out, ['N', 16, 4, 4], {
    id: 'tiny-vgg@test', inputSize: 16, layout: 'NCHW', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], pooling: 'max',
  });
}

/** A 1x1 conv with known weights over NCHW input: output channel o = input channel perm[o]. */
function permute(name: string, perm: number[], manifest: object, batch: number | string = 'N', layout = 'NCHW'): string {
  const b = new GraphBuilder();
  const weights = perm.flatMap((src) => [0, 1, 2].map((c) => (c === src ? 1 : 0)));
  const nhwc = layout === 'NHWC';
  const x = nhwc ? b.node('Transpose', ['pixels'], { perm: { ints: [0, 3, 1, 2] } }) : 'pixels';
  let y = conv(b, x, 3, 3, 1, weights);
  y = b.node(nhwc ? 'Transpose' : 'Identity', [y], nhwc ? { perm: { ints: [0, 2, 3, 1] } } : undefined, 'out');
  const shape = nhwc ? [batch, 4, 4, 3] : [batch, 3, 4, 4];
  return save(name, b, shape, y, shape, { id: `${name}@test`, inputSize: 4, layout, ...manifest });
}

const image = (size: number, pixel: (p: number) => [number, number, number]): Uint8Array => {
  const rgb = new Uint8Array(size * size * 3);
  for (let p = 0; p < size * size; p++) rgb.set(pixel(p), p * 3);
  return rgb;
};
const noise = (size: number, k: number): Uint8Array => image(size, (p) => [(p * 37 + k) % 256, (p * 91 + 3 * k) % 256, (p * 13 + 7 * k) % 256]);
const close = (a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-5): void => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < eps, `element ${i}: ${a[i]} vs ${b[i]}`);
};

test('a tiny ResNet (residual add, NCHW, mean/std, avg pooling) embeds', async () => {
  const engine = await OnnxEngine.fromManifest(tinyResnet(), quiet);
  assert.equal(engine.modelId, 'tiny-resnet@test');
  assert.equal(engine.runtime, 'onnx-cpu');
  assert.equal(engine.dims, 8);
  assert.equal(engine.inputSize, 16);
  const images = [noise(16, 1), noise(16, 2), noise(16, 3)];
  const batched = await engine.embed(images);
  assert.equal(batched.length, 3);
  for (const [i, img] of images.entries()) close(batched[i], (await engine.embed([img]))[0]);
  assert.ok(batched[0].some((v, i) => Math.abs(v - batched[1][i]) > 1e-4), 'different images give different vectors');
  await engine.dispose();
});

test('a tiny VGG (max pooling layers, max pooling output) embeds', async () => {
  const engine = await OnnxEngine.fromManifest(tinyVgg(), quiet);
  assert.equal(engine.dims, 16);
  const [v] = await engine.embed([noise(16, 5)]);
  assert.ok(v.every((x) => x >= 0), 'max over ReLU outputs is non-negative');
  await engine.dispose();
});

test('preprocessing: a constant image through a 1x1 conv gives (v*scale - mean)/std per channel', async () => {
  const manifest = permute('ident', [0, 1, 2], { scale: 1 / 255, mean: [0.5, 0.25, 0.1], std: [0.5, 0.25, 2], pooling: 'avg' });
  const engine = await OnnxEngine.fromManifest(manifest, quiet);
  const [v] = await engine.embed([image(4, () => [255, 51, 0])]);
  close(v, [(1 - 0.5) / 0.5, (0.2 - 0.25) / 0.25, (0 - 0.1) / 2]);
  await engine.dispose();
});

test('pooling: avg, max and R-MAC over spatial dims, none flattens', async () => {
  const half = image(4, (p) => (p < 8 ? [0, 0, 0] : [255, 128, 64])); // top half black
  const expect = { avg: [0.5, 64 / 255, 32 / 255], max: [1, 128 / 255, 64 / 255] };
  for (const pooling of ['avg', 'max'] as const) {
    const engine = await OnnxEngine.fromManifest(permute(`pool-${pooling}`, [0, 1, 2], { pooling }), quiet);
    close((await engine.embed([half]))[0], expect[pooling]);
    await engine.dispose();
  }
  // R-MAC on the 4×4 map: 14 regions, 9 of which reach the bottom half; each adds the unit
  // vector of the bottom's colour, the 5 all-black ones nothing.
  const rmac = await OnnxEngine.fromManifest(permute('pool-rmac', [0, 1, 2], { pooling: 'rmac' }), quiet);
  const colour = [1, 128 / 255, 64 / 255];
  const norm = Math.hypot(...colour);
  close((await rmac.embed([half]))[0], colour.map((c) => (9 * c) / norm));
  await rmac.dispose();
  const engine = await OnnxEngine.fromManifest(permute('pool-none', [0, 1, 2], { pooling: 'none' }), quiet);
  const [v] = await engine.embed([half]);
  assert.equal(engine.dims, 48);
  close(v.slice(0, 16), Array.from({ length: 16 }, (_, p) => (p < 8 ? 0 : 1))); // NCHW: the R plane first
  await engine.dispose();
});

test('NHWC models get NHWC input and their NHWC outputs pool per channel', async () => {
  const engine = await OnnxEngine.fromManifest(permute('swap-nhwc', [2, 1, 0], { pooling: 'avg' }, 'N', 'NHWC'), quiet);
  close((await engine.embed([image(4, () => [255, 0, 51])]))[0], [0.2, 0, 1]); // R and B swapped
  await engine.dispose();
});

test('a model with a fixed batch of 1 still embeds batches (one image at a time)', async () => {
  const engine = await OnnxEngine.fromManifest(permute('fixed-batch', [0, 1, 2], { pooling: 'avg' }, 1), quiet);
  const out = await engine.embed([image(4, () => [0, 0, 0]), image(4, () => [255, 255, 255])]);
  close(out[0], [0, 0, 0]);
  close(out[1], [1, 1, 1]);
  await engine.dispose();
});

test('manifests are validated with clear errors', () => {
  assert.throws(() => parseManifest({ id: 'x', inputSize: 224, layout: 'NCHW' }, 'm.json'), /"file"/);
  assert.throws(() => parseManifest({ id: 'x', file: 'a.onnx', inputSize: 224, layout: 'CHW' }, 'm.json'), /layout/);
  assert.throws(() => parseManifest({ id: 'x', file: 'a.onnx', inputSize: 224, layout: 'NCHW', std: [1, 0, 1] }, 'm.json'), /std/);
  assert.throws(
    () => parseManifest({ id: 'my-own-id', source: 'bundled-backbone', inputSize: 224, layout: 'NHWC' }, 'm.json'),
    /bundled backbone has id/,
  );
  const spec = parseManifest({ id: 'x', file: 'sub/a.onnx', inputSize: 32, layout: 'NCHW' }, path.join('/m', 'x.json'));
  assert.equal(spec.file, path.resolve('/m', 'sub', 'a.onnx'));
  assert.deepEqual([spec.scale, spec.mean, spec.std, spec.pooling], [1 / 255, [0, 0, 0], [1, 1, 1], 'none']);
});

test('models resolve by path, id or file stem; the repo ships the bundled backbone manifest', () => {
  const repo = resolveModel('mobilenet_v2_140'); // models/mobilenet_v2_140.json
  assert.throws(() => resolveModel('tiny-vgg@test', []), /no model manifest/);
  assert.equal(repo.id, BACKBONE_MODEL_ID);
  assert.equal(repo.source, 'bundled-backbone');
  assert.equal(resolveModel(BACKBONE_MODEL_ID).source, 'bundled-backbone');
  assert.equal(resolveModel(undefined).id, BACKBONE_MODEL_ID);

  const file = tinyVgg();
  assert.equal(loadManifest(file).id, 'tiny-vgg@test');
  assert.equal(resolveModel(file).id, 'tiny-vgg@test');
  const { specs } = listManifests([dir]);
  assert.ok(specs.some((s) => s.id === 'tiny-vgg@test'));
  process.env.LIKENESS_MODELS_DIR = dir;
  try {
    assert.equal(resolveModel('tiny-vgg@test').manifestPath, file);
    assert.equal(resolveModel('tiny-vgg').manifestPath, file);
  } finally {
    delete process.env.LIKENESS_MODELS_DIR;
  }
});

test('createEngine({engine: "onnx", model}) builds the manifest model', async () => {
  const engine = await createEngine({ engine: 'onnx', model: tinyResnet() }, quiet);
  assert.equal(engine.modelId, 'tiny-resnet@test');
  assert.equal(engine.dims, 8);
  await engine.dispose();
});
