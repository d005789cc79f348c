import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorIndex } from '../../main/core/search/vector-index.js';
import { gaussians, l2Normalise } from '../../main/core/search/linear-algebra.js';

function randomUnitVectors(count: number, dims: number, seed: number): Float32Array[] {
  const g = gaussians(count * dims, seed);
  return Array.from({ length: count }, (_, i) => l2Normalise(Float32Array.from(g.subarray(i * dims, (i + 1) * dims))));
}

function bruteForce(vectors: Map<number, Float32Array>, q: Float32Array, k: number, exclude = new Set<number>()) {
  const scored = [...vectors].filter(([id]) => !exclude.has(id)).map(([id, v]) => ({ id, score: v.reduce((s, x, i) => s + x * q[i], 0) }));
  return scored.sort((a, b) => b.score - a.score).slice(0, k);
}

test('search returns exactly the brute-force top k, best first, through adds, updates and deletes', () => {
  const dims = 32;
  const index = new VectorIndex(dims, 4); // small capacity: exercises growth
  const reference = new Map<number, Float32Array>();
  const vectors = randomUnitVectors(600, dims, 7);
  vectors.slice(0, 500).forEach((v, i) => {
    index.set(i + 1, v);
    reference.set(i + 1, v);
  });
  for (let id = 1; id <= 500; id += 7) {
    index.delete(id);
    reference.delete(id);
  }
  vectors.slice(500).forEach((v, i) => {
    const id = 3 + i * 4; // replaces some, re-adds some deleted ids
    index.set(id, v);
    reference.set(id, v);
  });
  assert.equal(index.size, reference.size);
  for (const q of randomUnitVectors(20, dims, 99)) {
    const exclude = new Set([3, 11]);
    const got = index.search(q, 10, exclude);
    const want = bruteForce(reference, q, 10, exclude);
    assert.deepEqual(got.map((h) => h.id), want.map((h) => h.id));
    got.forEach((h, i) => assert.ok(Math.abs(h.score - want[i].score) < 1e-6));
  }
  const all = index.rankAll(vectors[0], new Set());
  assert.equal(all.length, reference.size);
});

test('k larger than the index returns everything; wrong dimensions are refused', () => {
  const index = new VectorIndex(3);
  index.set(1, new Float32Array([1, 0, 0]));
  index.set(2, new Float32Array([0, 1, 0]));
  assert.deepEqual(index.search(new Float32Array([1, 0.5, 0]), 10).map((h) => h.id), [1, 2]);
  assert.throws(() => index.set(3, new Float32Array([1, 0])), /dimensions/);
});
