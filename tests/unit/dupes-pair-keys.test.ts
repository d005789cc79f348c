import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PairKeys } from '../../main/core/duplicates/pair-keys.js';
import { seededUniform } from '../../main/core/search/linear-algebra.js';

test('pair keys are kept once each, in the order first added, as a Set would keep them', () => {
  const uniform = seededUniform(11);
  const n = 1_000_003; // keys i·n + j of a million photos reach 10^12, past 32 bits
  const keys = new PairKeys();
  const reference = new Set<number>();
  for (let t = 0; t < 200_000; t++) {
    // Few photos so that keys repeat, some near the top of the range.
    const i = Math.floor(uniform() * 300) + (t % 3 === 0 ? n - 400 : 0);
    const j = Math.floor(uniform() * n);
    const key = i * n + j;
    keys.add(key);
    reference.add(key);
  }
  keys.add(0);
  reference.add(0);
  assert.equal(keys.size, reference.size);
  assert.deepEqual([...keys], [...reference]);
  for (const key of reference) assert.ok(keys.has(key));
  assert.ok(!keys.has(1), 'a key never added is absent');
  assert.ok(!keys.has(n * n - 1));
});

test('pair keys hold more than one V8 Set can (2^24), as a million photos need', () => {
  const keys = new PairKeys();
  const count = 2 ** 24 + 5;
  // Each key twice: the second add must be found, not stored again.
  for (let k = 0; k < count; k++) keys.add(k * 1_000_003 + 7);
  for (let k = 0; k < count; k += 1000) keys.add(k * 1_000_003 + 7);
  assert.equal(keys.size, count);
  let previous = -1;
  let seen = 0;
  let outOfOrder = 0;
  for (const key of keys) {
    if (key <= previous) outOfOrder++;
    previous = key;
    seen++;
  }
  assert.equal(seen, count);
  assert.equal(outOfOrder, 0);
});
