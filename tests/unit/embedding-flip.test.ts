import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embedWithFlip, mirror, vectorModelId } from '../../main/core/embedding/flip-average.js';
import type { EmbeddingEngine } from '../../main/core/embedding/engine.js';

test('mirror flips left and right, and twice is the identity', () => {
  const size = 3;
  const rgb = Uint8Array.from({ length: size * size * 3 }, (_, i) => i);
  const once = mirror(rgb, size);
  // Row 0, column 0 ← row 0, column 2.
  assert.deepEqual([...once.subarray(0, 3)], [6, 7, 8]);
  assert.deepEqual([...mirror(once, size)], [...rgb]);
});

test('embedWithFlip averages the vectors of each image and its mirror, in order', async () => {
  const seen: Uint8Array[] = [];
  const fake: EmbeddingEngine = {
    modelId: 'm',
    runtime: 'fake',
    dims: 1,
    inputSize: 2,
    // A "CNN" whose output is the first pixel's red value: differs between an image and its mirror.
    embed: async (batch) => batch.map((rgb) => (seen.push(rgb), Float32Array.of(rgb[0]))),
    dispose: async () => {},
  };
  const a = Uint8Array.of(10, 0, 0, 30, 0, 0, 10, 0, 0, 30, 0, 0);
  const b = Uint8Array.of(1, 0, 0, 3, 0, 0, 1, 0, 0, 3, 0, 0);
  const [va, vb] = await embedWithFlip(fake, [a, b]);
  assert.equal(va[0], 20);
  assert.equal(vb[0], 2);
  assert.equal(seen.length, 4, 'one CNN call for both views of both images');
  assert.notEqual(vectorModelId('m'), 'm');
});
