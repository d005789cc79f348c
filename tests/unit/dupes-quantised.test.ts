import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QuantisedVectors } from '../../main/core/duplicates/signals.js';
import { seededUniform } from '../../main/core/search/linear-algebra.js';

test('the quantised cosine is the cosine of the int8 vectors, whatever the length (tails of 1–3 included)', () => {
  const uniform = seededUniform(5);
  for (const dims of [1, 3, 4, 7, 1792, 1795]) {
    const vectors = new QuantisedVectors();
    const units = [0, 1].map(() => {
      const v = Float32Array.from({ length: dims }, () => uniform() * 2 - 1);
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    });
    units.forEach((u, key) => vectors.setUnit(key, u));
    const q = units.map((u) => u.map((x) => Math.max(-127, Math.min(127, Math.round(x * 127)))));
    let dot = 0;
    for (let i = 0; i < dims; i++) dot += q[0][i] * q[1][i];
    const expected = dot / (Math.hypot(...q[0]) * Math.hypot(...q[1]));
    assert.ok(Math.abs(vectors.cosine(0, 1) - expected) < 1e-9, `dims ${dims}: ${vectors.cosine(0, 1)} vs ${expected}`);
    assert.ok(Math.abs(vectors.cosine(0, 0) - 1) < 1e-9);
  }
  assert.ok(Number.isNaN(new QuantisedVectors().cosine(0, 1)));
});
