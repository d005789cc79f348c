/** A move across devices (copy, then deletion) pairs the deleted row with its recent copy. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileRow } from '../../main/core/store/files-repository.js';
import { pairCrossDeviceMoves, RecentCopies } from '../../main/core/watch/cross-device-moves.js';

function row(id: number, file: string, hash: string | null, status: FileRow['status'] = 'indexed'): FileRow {
  return { id, path: file, size: 100 + id, mtime_ms: 1000 + id, status, content_hash: hash } as FileRow;
}

function setup() {
  let now = 0;
  const copies = new RecentCopies(10_000, () => now);
  const rows = new Map<number, FileRow>();
  const add = (r: FileRow) => (rows.set(r.id, r), r);
  return { copies, rows, add, advance: (ms: number) => (now += ms), rowOf: (id: number) => rows.get(id) };
}

test('the original of a recent copy, once gone, takes the copy\'s path; the copy\'s row is dropped', () => {
  const { copies, add, rowOf } = setup();
  const original = add(row(1, '/disk-a/x.jpg', 'h1'));
  add(row(7, '/disk-b/x.jpg', 'h1'));
  copies.remember(1, 7);
  const paired = pairCrossDeviceMoves([original, row(2, '/disk-a/y.jpg', 'h2')], (r) => copies.take(r, rowOf));
  assert.deepEqual(paired.moves, [{ id: 1, from: '/disk-a/x.jpg', to: { path: '/disk-b/x.jpg', size: 107, mtimeMs: 1007 } }]);
  assert.deepEqual(paired.replacedCopies, [7]);
  assert.deepEqual(paired.removals.map((r) => r.id), [2], 'a file with no copy is really gone');
});

test('a copy whose content changed since, or not yet indexed, is not the move\'s other half', () => {
  const { copies, add, rowOf } = setup();
  const original = add(row(1, '/a/x.jpg', 'h1'));
  add(row(7, '/b/x.jpg', 'edited'));
  add(row(8, '/b/x2.jpg', 'h1', 'pending'));
  copies.remember(1, 7);
  copies.remember(1, 8);
  assert.equal(copies.take(original, rowOf), undefined);
});

test('a copy is paired once, and only within the window', () => {
  const { copies, add, rowOf, advance } = setup();
  const original = add(row(1, '/a/x.jpg', 'h1'));
  add(row(7, '/b/x.jpg', 'h1'));
  copies.remember(1, 7);
  assert.equal(copies.take(original, rowOf)?.id, 7);
  assert.equal(copies.take(original, rowOf), undefined, 'forgotten once taken');
  copies.remember(1, 7);
  advance(10_000);
  assert.equal(copies.take(original, rowOf), undefined, 'too old: a copy, not a move');
});

test('a copy whose id is unknown (not applied) is not remembered', () => {
  const { copies, add, rowOf } = setup();
  const original = add(row(1, '/a/x.jpg', 'h1'));
  copies.remember(1, undefined);
  assert.equal(copies.take(original, rowOf), undefined);
});
