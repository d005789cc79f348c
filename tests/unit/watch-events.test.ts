/** How a watcher's store changes and commits become events, and who hears them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatchEvents, type WatchEvent } from '../../main/core/watch/events.js';

test('applied changes are told as moves, then removals, then additions naming their original', () => {
  const heard: WatchEvent[] = [];
  const events = new WatchEvents((e) => heard.push(e));
  events.applied(
    {
      moves: [{ id: 1, from: '/a/x.jpg', to: { path: '/b/x.jpg' } }],
      removals: [{ id: 2, path: '/a/y.jpg' }],
      copies: [
        { sourceId: 3, to: { path: '/c/z.jpg' } },
        { sourceId: 3, to: { path: '/c/z2.jpg' } },
      ],
      copiedIds: [30],
    },
    (id) => (id === 3 ? '/a/z.jpg' : undefined),
    (file) => (file === '/c/z2.jpg' ? 31 : undefined),
  );
  assert.deepEqual(heard, [
    { type: 'moved', from: '/a/x.jpg', to: '/b/x.jpg', id: 1 },
    { type: 'removed', path: '/a/y.jpg', id: 2 },
    { type: 'added', path: '/c/z.jpg', id: 30, copyOf: '/a/z.jpg' },
    { type: 'added', path: '/c/z2.jpg', id: 31, copyOf: '/a/z.jpg' },
  ]);
});

test('commits are told as added, updated or failed', () => {
  const heard: WatchEvent[] = [];
  new WatchEvents((e) => heard.push(e)).committed([
    { id: 1, path: '/n.jpg', ok: true, wasIndexed: false },
    { id: 2, path: '/c.jpg', ok: true, wasIndexed: true },
    { id: 3, path: '/b.jpg', ok: false, wasIndexed: false, reason: 'truncated' },
  ]);
  assert.deepEqual(heard.map((e) => e.type), ['added', 'updated', 'failed']);
  assert.equal(heard[2].type === 'failed' && heard[2].reason, 'truncated');
});

test("a listener hears until it stops; the host's failing onEvent does not break the watcher", () => {
  const events = new WatchEvents(() => {
    throw new Error('host bug');
  });
  const heard: string[] = [];
  const stop = events.listen((e) => heard.push(e.type));
  events.emit({ type: 'online', root: '/a' });
  stop();
  events.emit({ type: 'online', root: '/a' });
  assert.deepEqual(heard, ['online']);
});
