/** The watcher's list of paths to look at and rows held gone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangedPaths } from '../../main/core/watch/changed-paths.js';

test('a path is due at once; one held back is due at its time; a new event makes it due again', () => {
  const changed = new ChangedPaths();
  changed.mark('/p/a.jpg', 100);
  changed.dirty.set('/p/b.jpg', { at: 100, retryAt: 500, held: { why: 'cut-short', age: 60 } });
  assert.deepEqual(changed.takeDue(200).map(([file]) => file), ['/p/a.jpg']);
  assert.equal(changed.heldBack('/p/b.jpg')?.why, 'cut-short');
  assert.equal(changed.nextDue(1000), 500);
  changed.mark('/p/b.jpg', 300);
  assert.equal(changed.heldBack('/p/b.jpg'), undefined, 'a new event: looked at afresh');
  assert.deepEqual(changed.takeDue(300).map(([file]) => file), ['/p/b.jpg']);
  assert.equal(changed.empty, true);
});

test('a row held gone is due when its grace period ends', () => {
  const changed = new ChangedPaths();
  changed.goneSince.set(7, 1000);
  assert.equal(changed.empty, false);
  assert.equal(changed.nextDue(400), 1400);
});

test('paths under a folder are forgotten, except those still wanted', () => {
  const changed = new ChangedPaths();
  for (const file of ['/drive/a.jpg', '/drive/inner/b.jpg', '/drive-2/c.jpg', '/other/d.jpg']) changed.mark(file, 1);
  changed.forgetUnder('/drive', (file) => file.startsWith('/drive/inner/'));
  assert.deepEqual([...changed.dirty.keys()].sort(), ['/drive-2/c.jpg', '/drive/inner/b.jpg', '/other/d.jpg']);
});
