/**
 * Library roots with a running watcher: nested roots, removing a root (entries leave the index,
 * the disk is untouched, watching stops), and a root that goes offline (an unplugged drive, here
 * a folder renamed away): entries are kept and marked, and it recovers when it comes back —
 * including a root that is missing when the watcher starts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import type { Watcher } from '../../main/core/watch/watcher.js';
import { tempDir } from '../helpers/datasets.js';
import { fingerprint } from '../helpers/fixtures.js';
import { EventLog, indexedRows, waitFor, writeSmallPhotos } from './watch-fixtures.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const FAST = { debounceMs: 50, stableMs: 200, deleteGraceMs: 400, presenceCheckMs: 250 };

describe('library roots while watching', { timeout: 120_000 }, () => {
  const root = tempDir('likeness-roots-');
  const home = path.join(root, 'home');
  const nested = path.join(home, 'nested');
  const drive = path.join(root, 'drive');
  const unplugged = path.join(root, 'drive-unplugged');
  const spare = path.join(root, 'spare');
  const dbPath = path.join(root, 'db', 'library.db');
  const log = new EventLog();
  let library: Library;
  let watcher: Watcher;
  const state = (p: string) => library.rootsWithState().find((r) => r.path === p)!;

  before(async () => {
    await writeSmallPhotos(home, 3, { prefix: 'h' });
    await writeSmallPhotos(nested, 3, { prefix: 'n', start: 3 });
    await writeSmallPhotos(drive, 4, { prefix: 'd', start: 6 });
    await writeSmallPhotos(spare, 4, { prefix: 's', start: 50 });
    library = Library.open({ dbPath, workers: 1 });
    await library.addRoot(home);
    await library.addRoot(nested); // nested inside home
    await library.addRoot(drive);
    watcher = await library.watch({ ...FAST, onEvent: log.listener });
    await watcher.idle();
  });

  after(async () => {
    await library.close();
  });

  test('nested roots are walked once: no duplicate entries', () => {
    assert.equal(library.status().indexed, 10);
    assert.deepEqual(watcher.watchedRoots(), [drive, home].sort());
    assert.equal(state(nested).nested, true);
    assert.equal(state(nested).indexed, 3);
    assert.equal(state(home).indexed, 6);
  });

  test('removing the outer root keeps what the nested root covers and touches no file', async () => {
    const disk = fingerprint(home);
    const removed = await library.removeRoot(home);
    assert.equal(removed, 3);
    await watcher.idle();
    assert.deepEqual(fingerprint(home), disk, 'nothing on disk changed');
    assert.equal(library.status().indexed, 7);
    assert.deepEqual(watcher.watchedRoots(), [drive, nested].sort(), 'the nested root is now watched itself');
    const mark = log.mark();
    fs.copyFileSync(path.join(spare, 's-0050.jpg'), path.join(home, 'outside-now.jpg'));
    const inside = path.join(nested, 'inside.jpg');
    fs.copyFileSync(path.join(spare, 's-0051.jpg'), inside);
    await log.wait('the file in the remaining root', (e) => e.type === 'added' && e.path === inside, mark);
    await watcher.idle();
    assert.equal(library.files.byPath(path.join(home, 'outside-now.jpg')), undefined, 'a removed root is no longer watched');
  });

  test('a root that goes offline keeps its entries, marked, and recovers when it returns', async () => {
    const before = indexedRows(dbPath);
    const onDrive = [...before.keys()].filter((p) => p.startsWith(drive + path.sep));
    assert.equal(onDrive.length, 4);
    let mark = log.mark();
    fs.renameSync(drive, unplugged); // the drive goes away
    await log.wait('offline event', (e) => e.type === 'offline' && e.root === drive, mark);
    await watcher.idle();
    assert.equal(state(drive).online, false);
    assert.ok(state(drive).offlineSince! > 0);
    assert.equal(state(drive).indexed, 4, 'entries kept');
    assert.deepEqual(log.since(mark).filter((e) => e.type === 'removed'), []);
    const [answer] = await library.similar([onDrive[0]], 3);
    assert.equal(answer.results.length, 3, 'offline photos are still searchable by their stored vectors');

    fs.copyFileSync(path.join(spare, 's-0052.jpg'), path.join(unplugged, 'added-elsewhere.jpg'));
    fs.rmSync(path.join(unplugged, 'd-0006.jpg'));
    mark = log.mark();
    fs.renameSync(unplugged, drive); // plugged in again
    await log.wait('online event', (e) => e.type === 'online' && e.root === drive, mark);
    await waitFor('the file added while offline', () => library.files.byPath(path.join(drive, 'added-elsewhere.jpg'))?.status === 'indexed');
    await watcher.idle();
    assert.equal(state(drive).online, true);
    assert.equal(library.files.byPath(path.join(drive, 'd-0006.jpg')), undefined, 'a file deleted meanwhile is forgotten');
    const after = indexedRows(dbPath);
    for (const p of onDrive.filter((p) => !p.endsWith('d-0006.jpg'))) assert.equal(after.get(p)?.id, before.get(p)!.id, 'same ids');
    assert.ok(watcher.watchedRoots().includes(drive), 'watched again');
    const live = path.join(drive, 'live.jpg');
    mark = log.mark();
    fs.copyFileSync(path.join(spare, 's-0053.jpg'), live);
    await log.wait('a live change on the returned drive', (e) => e.type === 'added' && e.path === live, mark);
  });

  test('a root missing at start-up is reported offline, not emptied', async () => {
    await library.close();
    fs.renameSync(drive, unplugged);
    library = Library.open({ dbPath, workers: 1 });
    const startLog = new EventLog();
    watcher = await library.watch({ ...FAST, onEvent: startLog.listener });
    await watcher.idle();
    assert.ok(startLog.events.some((e) => e.type === 'offline' && e.root === drive) || state(drive).online === false);
    assert.equal(state(drive).online, false);
    assert.equal(state(drive).indexed, 5);
    fs.renameSync(unplugged, drive);
    await startLog.wait('online event', (e) => e.type === 'online' && e.root === drive);
    await watcher.idle();
    assert.equal(state(drive).indexed, 5);
    assert.deepEqual(startLog.events.filter((e) => e.type === 'removed' || e.type === 'added'), []);
  });

  test('a one-shot index of an unreachable root marks it offline and keeps its entries', async () => {
    await library.stopWatching();
    fs.renameSync(drive, unplugged);
    const summary = await library.index([drive, nested]);
    assert.deepEqual(summary.offline, [drive]);
    assert.equal(summary.removed, 0);
    assert.equal(state(drive).indexed, 5);
    fs.renameSync(unplugged, drive);
    const back = await library.index([drive]);
    assert.equal(back.unchanged, 5);
    assert.equal(state(drive).online, true);
  });
});
