/**
 * Re-ranking by neighbourhoods (search/rerank.ts): a photo whose neighbours are the query's
 * neighbours rises above one that is merely close; scores keep the cosine scale, best first.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RERANK, rerank } from '../../main/core/search/rerank.js';
import type { Neighbour } from '../../main/core/search/vector-index.js';

const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v, (x) => x / n);
};
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

function ranked(query: Float32Array, vectors: Map<number, Float32Array>): Neighbour[] {
  return [...vectors].map(([id, v]) => ({ id, score: dot(query, v) })).sort((a, b) => b.score - a.score);
}

test('a photo of the query’s group overtakes a lone photo that is slightly closer to the query', () => {
  // Query and a tight group along x (+ a little y); one lone photo closer to the query by cosine but
  // with no neighbours of the group; background noise along z.
  const vectors = new Map<number, Float32Array>();
  const q = unit(1, 0.3, 0, 0);
  vectors.set(1, unit(1, -0.35, 0.2, 0)); // group, but farther from q than the lone photo
  for (let i = 2; i <= 6; i++) vectors.set(i, unit(1, 0, 0.05 * i, 0)); // the group
  vectors.set(7, unit(0.8, 0.6, 0, 0.55)); // lone
  for (let i = 8; i < 20; i++) vectors.set(i, unit(0.1, 0, 0, 1 + i / 10));
  const before = ranked(q, vectors);
  assert.ok(before.findIndex((h) => h.id === 7) < before.findIndex((h) => h.id === 1), 'the lone photo is closer by cosine');
  const after = rerank(q, before, (id) => vectors.get(id));
  assert.ok(after.findIndex((h) => h.id === 1) < after.findIndex((h) => h.id === 7), 'the group member overtakes it');
  assert.deepEqual(new Set(after.map((h) => h.id)), new Set(before.map((h) => h.id)), 'the same photos');
  assert.deepEqual(after.map((h) => h.score), before.map((h) => h.score), 'the i-th result keeps the i-th best cosine');
});

test('beyond the re-ranking depth the order is the search’s; too few photos are left as they are', () => {
  const vectors = new Map<number, Float32Array>();
  for (let i = 0; i < DEFAULT_RERANK.depth + 20; i++) vectors.set(i, unit(Math.cos(i / 50), Math.sin(i / 50), (i % 7) / 20));
  const q = unit(1, 0, 0);
  const before = ranked(q, vectors);
  const after = rerank(q, before, (id) => vectors.get(id));
  assert.deepEqual(after.slice(DEFAULT_RERANK.depth), before.slice(DEFAULT_RERANK.depth));
  const few = before.slice(0, DEFAULT_RERANK.dbaK);
  assert.deepEqual(rerank(q, few, (id) => vectors.get(id)), few);
});
