/** The watcher's single writer: operations between passes, debounced passes, housekeeping, failures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangedPaths } from '../../main/core/watch/changed-paths.js';
import { PassLoop, type PassLoopParts } from '../../main/core/watch/pass-loop.js';

function setup(overrides: Partial<PassLoopParts> = {}) {
  const log: string[] = [];
  const queue = { busy: false, paused: 0, fatal: null as Error | null, pause: () => void queue.paused++, resume: () => void queue.paused--, stop: async () => void log.push('queue stopped') };
  const changed = new ChangedPaths();
  let passes = 0;
  const loop = new PassLoop({
    debounceMs: 20,
    deleteGraceMs: 100,
    changed,
    queue,
    pass: async () => {
      passes++;
      changed.takeDue(Date.now());
      log.push('pass');
    },
    housekeep: async () => void log.push(`housekeep (paused ${queue.paused})`),
    diskFull: (error) => log.push(`disk full: ${error.message}`),
    problem: (reason) => log.push(`problem: ${reason}`),
    ...overrides,
  });
  return { loop, log, queue, changed, passes: () => passes };
}

test('events gathered within the debounce make one pass; idle resolves after it', async () => {
  const { loop, changed, passes } = setup();
  for (const file of ['/a.jpg', '/b.jpg', '/c.jpg']) {
    changed.mark(file);
    loop.kick();
  }
  assert.equal(loop.busy(), true);
  await loop.idle();
  assert.equal(passes(), 1);
  assert.equal(changed.empty, true);
});

test('operations run one at a time, in order, never inside a pass', async () => {
  let inside = 0;
  let overlapped = false;
  const { loop, log } = setup({
    pass: async () => {
      inside++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      inside--;
    },
  });
  const op = (name: string) =>
    loop.exclusive(async () => {
      if (inside) overlapped = true;
      inside++;
      log.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`${name} end`);
      inside--;
      return name;
    });
  loop.kick(0);
  const results = await Promise.all([op('one'), op('two')]);
  assert.deepEqual(results, ['one', 'two']);
  assert.deepEqual(log, ['one start', 'one end', 'two start', 'two end']);
  assert.equal(overlapped, false);
});

test('the queue running dry brings housekeeping, with the queue paused meanwhile', async () => {
  const { loop, log, queue } = setup();
  loop.drained();
  await loop.idle();
  assert.deepEqual(log.filter((l) => l.startsWith('housekeep')), ['housekeep (paused 1)']);
  assert.equal(queue.paused, 0, 'resumed after');
});

test('a pass failing on a full disk is handed over as such; another failure is reported and the next pass runs', async () => {
  let calls = 0;
  let heard!: (line: string) => void;
  const next = () => new Promise<string>((resolve) => (heard = resolve));
  const { loop } = setup({
    pass: async () => {
      calls++;
      throw Object.assign(new Error('write failed'), { code: calls === 1 ? 'EIO' : 'ENOSPC' });
    },
    problem: (reason) => heard(`problem: ${reason}`),
    diskFull: (error) => heard(`disk full: ${error.constructor.name}`),
  });
  let line = next();
  loop.kick(0);
  assert.equal(await line, 'problem: watcher pass failed: write failed');
  line = next();
  loop.kick(0);
  assert.equal(await line, 'disk full: DiskFullError');
});

test('closing rejects the operations still waiting and stops the queue; later ones are refused', async () => {
  const { loop, log } = setup();
  let release!: () => void;
  const first = loop.exclusive(() => new Promise<void>((resolve) => (release = resolve)));
  const second = loop.exclusive(async () => 'never');
  const closing = loop.close(async () => void log.push('released'));
  release();
  await first;
  await closing;
  await assert.rejects(second, /closed/);
  await assert.rejects(loop.exclusive(async () => 1), /closed/);
  assert.deepEqual(log.filter((l) => l !== 'pass'), ['released', 'queue stopped'], 'the feeds let go before the queue stops');
  assert.equal(loop.stopped, true);
});

test('a failure for good rejects waiting operations and releases idle waiters', async () => {
  const { loop } = setup();
  let release!: () => void;
  const first = loop.exclusive(() => new Promise<void>((resolve) => (release = resolve)));
  const second = loop.exclusive(async () => 'never');
  const idle = loop.idle();
  let released = false;
  loop.fail(new Error('disk full'), () => (released = true));
  await idle;
  await assert.rejects(second, /disk full/);
  assert.equal(released, true);
  assert.equal(loop.failure?.message, 'disk full');
  release();
  await first;
});
