/**
 * Execution provider preference per platform, and the fallback to CPU when the preferred
 * provider cannot create a session (CUDA on this machine: its provider library is not installed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeModel, GraphBuilder } from '../../main/core/embedding/onnx/onnx-model.js';
import { loadOrt } from '../../main/core/embedding/onnx/ort.js';
import { createSession, preferredProviders } from '../../main/core/embedding/onnx/providers.js';

const all = [
  { name: 'cpu', bundled: true },
  { name: 'cuda', bundled: false },
  { name: 'dml', bundled: true },
  { name: 'coreml', bundled: true },
];
const has = (present: boolean) => () => present;

test('providers are preferred per platform, CPU last', () => {
  assert.deepEqual(preferredProviders(all, 'linux', has(true), {}), ['cuda', 'cpu']);
  assert.deepEqual(preferredProviders(all, 'win32', has(true), {}), ['cuda', 'dml', 'cpu']);
  assert.deepEqual(preferredProviders(all, 'darwin', has(true), {}), ['coreml', 'cpu']);
  assert.deepEqual(preferredProviders(all, 'freebsd', has(true), {}), ['cpu']);
});

test('a provider the build lacks, or a non-bundled one without its library, is skipped', () => {
  assert.deepEqual(preferredProviders(all, 'linux', has(false), {}), ['cpu']);
  assert.deepEqual(preferredProviders(all, 'win32', has(false), {}), ['dml', 'cpu']);
  assert.deepEqual(preferredProviders([{ name: 'cpu', bundled: true }], 'darwin', has(true), {}), ['cpu']);
});

test('LIKENESS_ONNX_PROVIDERS overrides the preference', () => {
  assert.deepEqual(preferredProviders(all, 'linux', has(true), { LIKENESS_ONNX_PROVIDERS: 'cpu' }), ['cpu']);
  assert.deepEqual(preferredProviders(all, 'linux', has(true), { LIKENESS_ONNX_PROVIDERS: ' cuda , cpu' }), ['cuda', 'cpu']);
  assert.deepEqual(preferredProviders(all, 'linux', has(true), { LIKENESS_ONNX_PROVIDERS: 'tpu' }), ['cpu']);
});

// Runs where onnxruntime-node lists CUDA but its provider library is not installed (the default
// npm install without the CUDA download), so asking for CUDA fails for real.
const cudaMissing = async (): Promise<boolean> => {
  const ort = await loadOrt();
  const listed = ort.listSupportedBackends().some((b) => b.name === 'cuda');
  return listed && !preferredProviders(ort.listSupportedBackends(), process.platform, undefined, {}).includes('cuda');
};

test('a session whose preferred provider fails falls back to CPU and says why', { skip: !(await cudaMissing()) && 'CUDA may work here' }, async () => {
  const ort = await loadOrt();
  ort.env.logLevel = 'fatal'; // keep the native "cannot load CUDA provider" error off the test output
  const b = new GraphBuilder();
  b.node('Relu', ['x'], undefined, 'y');
  const model = encodeModel(b.build('relu', [{ name: 'x', shape: [2] }], [{ name: 'y', shape: [2] }]));
  process.env.LIKENESS_ONNX_PROVIDERS = 'cuda,cpu';
  try {
    const { session, provider, fallbackReason } = await createSession(ort, model, 1);
    assert.equal(provider, 'cpu');
    assert.match(fallbackReason ?? '', /^cuda failed: /);
    const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.from([-1, 2]), [2]) });
    assert.deepEqual([...(y.data as Float32Array)], [0, 2]);
    await session.release();
  } finally {
    delete process.env.LIKENESS_ONNX_PROVIDERS;
  }
});
