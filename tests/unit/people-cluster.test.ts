/** The rules of people clustering (cluster.ts) that corrections rely on, on small exact vectors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeFaces, type LooseFace, type PersonSeed } from '../../main/core/people/cluster.js';

/** A unit vector at `deg` degrees in the plane (cosine of two = cos of their angle). */
const at = (deg: number) => Float32Array.from([Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)]);
const face = (id: number, deg: number, rejected: number[] = []): LooseFace => ({ id, vector: at(deg), rejected: new Set(rejected) });
const person = (id: number, degs: number[], fixed = false): PersonSeed => {
  const sum = new Float32Array(2);
  for (const d of degs) for (const [i, v] of at(d).entries()) sum[i] += v;
  return { id, sum, count: degs.length, fixed, rejects: new Set() };
};

test('faces alike form a person, unlike ones stay apart (no number of people given)', () => {
  // cos 20° = 0.94, cos 90° = 0
  const placed = placeFaces([], [face(1, 0), face(2, 20), face(3, 90), face(4, 100)], 0.8);
  const groups = placed.map((g) => g.faces.sort()).sort();
  assert.deepEqual(groups, [[1, 2], [3, 4]]);
  assert.ok(placed.every((g) => g.person === null));
});

test('a face joins the person it is like, never one it was taken out of', () => {
  const seeds = [person(7, [0, 10]), person(8, [90])];
  assert.deepEqual(placeFaces(seeds, [face(1, 5)], 0.8), [{ person: 7, faces: [1], absorbed: [] }]);
  const kept = placeFaces(seeds, [face(1, 5, [7])], 0.8);
  assert.deepEqual(kept, [{ person: null, faces: [1], absorbed: [] }]);
});

test('a new face may bring two unnamed people together, but never a named one', () => {
  // Mean likeness of the two people (0° and 30°) is cos 30° = 0.87; they are only compared once a face changes one.
  const loose = [face(1, 15)];
  const merged = placeFaces([person(7, [0]), person(8, [30])], loose, 0.8);
  assert.deepEqual(merged, [{ person: 7, faces: [1], absorbed: [8] }]);
  const fixed = placeFaces([person(7, [0], true), person(8, [30])], loose, 0.8);
  assert.equal(fixed.length, 1);
  assert.deepEqual(fixed[0].absorbed, []);
});
