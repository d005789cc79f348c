/** The "is this file still being written" decision, on made-up times. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeVerdict } from '../../main/core/watch/still-writing.js';

const T = { settleMs: 50, stableMs: 300, incompleteWaitMs: 5000 };
const now = 1_000_000;

test('a file written a moment ago settles first, whatever its format', () => {
  assert.deepEqual(writeVerdict({ now, mtimeMs: now - 10, eventAt: now }, T), { kind: 'wait', until: now - 10 + 50, why: 'settling', age: 10 });
});

test('once settled, a recent file needs its end marker looked at', () => {
  assert.deepEqual(writeVerdict({ now, mtimeMs: now - 100, eventAt: now }, T), { kind: 'read-end-marker' });
});

test('a JPEG/PNG with its end marker is taken after the short settle', () => {
  assert.deepEqual(writeVerdict({ now, mtimeMs: now - 100, eventAt: now, endMarker: true }, T), { kind: 'take' });
});

test('a JPEG/PNG cut short is held, even untouched for longer than stableMs, until incompleteWaitMs', () => {
  assert.deepEqual(writeVerdict({ now, mtimeMs: now - 100, eventAt: now, endMarker: false }, T), { kind: 'wait', until: now + 300, why: 'cut-short', age: 100 });
  const held = writeVerdict({ now, mtimeMs: now - 2000, eventAt: now, endMarker: false }, T);
  assert.equal(held.kind, 'wait');
  assert.deepEqual(writeVerdict({ now, mtimeMs: now - 5000, eventAt: now }, T), { kind: 'take' }, 'then taken as it is (the decoder judges)');
});

test('a format without an end marker waits until untouched for stableMs', () => {
  assert.deepEqual(writeVerdict({ now, mtimeMs: now - 100, eventAt: now, endMarker: null }, T), { kind: 'wait', until: now - 100 + 300, why: 'unsettled', age: 100 });
  assert.deepEqual(writeVerdict({ now, mtimeMs: now - 300, eventAt: now, endMarker: null }, T), { kind: 'take' });
});

test("a modification time ahead of our clock (a drive's own clock) is replaced by the event's time", () => {
  assert.deepEqual(writeVerdict({ now, mtimeMs: now + 60_000, eventAt: now - 20 }, T), { kind: 'wait', until: now - 20 + 50, why: 'settling', age: 20 });
  assert.equal(writeVerdict({ now, mtimeMs: now + 500, eventAt: now }, T).kind, 'wait', 'within a second: still its mtime (just written)');
});
