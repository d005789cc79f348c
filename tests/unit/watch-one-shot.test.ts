/** A one-shot pass through a live watcher waits for its rows, by their events, not by a guess. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WatchEvent } from '../../main/core/watch/events.js';
import { awaitEmbedded, type LiveWatch } from '../../main/core/watch/one-shot.js';

function fakeWatch(pending: Set<number>) {
  let listener: ((e: WatchEvent) => void) | null = null;
  let busy = true;
  let failure: Error | null = null;
  const idleWaiters: (() => void)[] = [];
  const watch: LiveWatch = {
    listen: (l) => ((listener = l), () => (listener = null)),
    idle: () => (busy ? new Promise<void>((resolve) => idleWaiters.push(resolve)) : Promise.resolve()),
    busy: () => busy,
    failure: () => failure,
    stopped: () => false,
    stillPending: (ids) => ids.filter((id) => pending.has(id)),
  };
  const settle = () => {
    busy = false;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };
  return { watch, send: (e: WatchEvent) => listener?.(e), settle, fail: (e: Error) => ((failure = e), settle()), listening: () => listener !== null };
}

test('counts the rows embedded and failed, and ends once none is left', async () => {
  const pending = new Set([1, 2, 3]);
  const w = fakeWatch(pending);
  const done = awaitEmbedded([1, 2, 3], w.watch, undefined, 5);
  w.send({ type: 'added', path: '/a', id: 1 });
  w.send({ type: 'updated', path: '/b', id: 2 });
  w.send({ type: 'failed', path: '/c', id: 3, reason: 'broken' });
  w.send({ type: 'added', path: '/d', id: 99 }); // not this pass's
  for (const id of [1, 2, 3]) pending.delete(id);
  w.settle();
  assert.deepEqual(await done, { indexed: 2, failed: 1 });
  assert.equal(w.listening(), false, 'the listener is removed');
});

test('a row that left the queue (moved, deleted) is no longer waited for', async () => {
  const pending = new Set([1, 2]);
  const w = fakeWatch(pending);
  const giveUp = new AbortController();
  const timer = setTimeout(() => giveUp.abort(), 2000);
  const done = awaitEmbedded([1, 2], w.watch, giveUp.signal, 5);
  w.send({ type: 'added', path: '/a', id: 1 });
  pending.clear();
  assert.deepEqual(await done, { indexed: 1, failed: 0 });
  clearTimeout(timer);
  assert.equal(giveUp.signal.aborted, false, 'it ended because the row left, not by giving up');
});

test("the watcher's failure (a full disk) is thrown", async () => {
  const w = fakeWatch(new Set([1]));
  const done = awaitEmbedded([1], w.watch, undefined, 5);
  w.fail(new Error('disk full'));
  await assert.rejects(done, /disk full/);
});

test('an aborted pass stops waiting', async () => {
  const w = fakeWatch(new Set([1]));
  const controller = new AbortController();
  const done = awaitEmbedded([1], w.watch, controller.signal, 5);
  controller.abort();
  assert.deepEqual(await done, { indexed: 0, failed: 0 });
});
