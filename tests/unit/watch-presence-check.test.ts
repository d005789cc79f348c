/** The periodic root check applies what reachability decides: on real folders, a fake store. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { RootRow } from '../../main/core/library/library-store.js';
import { PresenceCheck, type PresenceCheckParts } from '../../main/core/watch/presence-check.js';
import { tempDir } from '../helpers/datasets.js';

function setup(rows: RootRow[], overrides: Partial<PresenceCheckParts> = {}) {
  const log: string[] = [];
  let reads = 0;
  const store = {
    rootRows: () => (reads++, rows),
    setOnline: (root: string, online: boolean, device?: number) => {
      log.push(`setOnline ${path.basename(root)} ${online} ${device === fs.statSync(root).dev}`);
      return true;
    },
  };
  const check = new PresenceCheck({
    store,
    everyMs: 5,
    syncWatches: async () => void log.push('sync'),
    scan: async (roots) => void log.push(`scan ${roots.map((r) => path.basename(r)).join(',')}`),
    added: (root) => log.push(`added ${path.basename(root)}`),
    online: (root) => log.push(`online ${path.basename(root)}`),
    wentOffline: (root, reason) => log.push(`offline ${path.basename(root)}: ${reason}`),
    problem: (reason) => log.push(`problem ${reason}`),
    over: () => false,
    ...overrides,
  });
  return { check, log, reads: () => reads };
}

const row = (p: string, offline: boolean): RootRow => ({ path: p, added_at: 0, offline_since: offline ? 1 : null, device: null, polling: 0 }) as RootRow;

/** Runs the check until `done` says it has seen enough, then stops it. */
async function runUntil(check: PresenceCheck, done: () => boolean): Promise<void> {
  check.start();
  await new Promise<void>((resolve) => {
    const look = () => (done() ? resolve() : setImmediate(look));
    look();
  });
  await check.stop();
}

test('an offline root that is back is marked online (with its device), re-watched and reconciled', async () => {
  const dir = tempDir();
  const back = path.join(dir, 'back');
  fs.mkdirSync(back);
  const { check, log } = setup([row(back, true)]);
  await runUntil(check, () => log.includes('scan back'));
  assert.deepEqual(log.slice(0, 4), ['setOnline back true true', 'online back', 'sync', 'scan back']);
});

test('a watched root that vanished goes offline with the reason; nothing is scanned', async () => {
  const dir = tempDir();
  const { check, log } = setup([row(path.join(dir, 'unplugged'), false)]);
  await runUntil(check, () => log.length > 0);
  assert.match(log[0], /^offline unplugged: the folder is missing/);
  assert.ok(!log.some((l) => l.startsWith('scan')));
});

test('a root added by another process is watched, scanned and told; one removed re-syncs the watches', async () => {
  const dir = tempDir();
  const [a, b] = [path.join(dir, 'a'), path.join(dir, 'b')];
  fs.mkdirSync(a);
  fs.mkdirSync(b);
  const rows = [row(a, false)];
  const added = setup(rows);
  rows.push(row(b, false));
  await runUntil(added.check, () => added.log.includes('added b'));
  assert.deepEqual(added.log.slice(0, 3), ['sync', 'scan b', 'added b']);

  const removed = setup(rows);
  rows.splice(0, 1);
  await runUntil(removed.check, () => removed.log.includes('sync'));
  assert.deepEqual(removed.log, ['sync']);
});

test('a root the watcher removed itself is no news to the check', async () => {
  const dir = tempDir();
  const [a, b] = [path.join(dir, 'a'), path.join(dir, 'b')];
  fs.mkdirSync(a);
  fs.mkdirSync(b);
  const rows = [row(a, false), row(b, false)];
  const { check, log, reads } = setup(rows);
  rows.pop();
  check.forget(b);
  await runUntil(check, () => reads() > 3);
  assert.deepEqual(log, []);
});

test('a failing check is reported as a problem; a closed watcher is not checked', async () => {
  let reads = 0;
  const locked = {
    rootRows: (): RootRow[] => {
      if (reads++ > 0) throw new Error('database is locked');
      return [];
    },
    setOnline: () => false,
  };
  const failing = setup([], { store: locked });
  await runUntil(failing.check, () => failing.log.length > 0);
  assert.equal(failing.log[0], 'problem checking the folders failed: database is locked');

  const dir = tempDir();
  let asked = 0;
  const over = setup([row(path.join(dir, 'gone'), false)], { over: () => (asked++, true) });
  await runUntil(over.check, () => asked > 2);
  assert.deepEqual(over.log, []);
});
