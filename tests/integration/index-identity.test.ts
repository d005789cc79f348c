/**
 * Reconciliation while Likeness was not running: files added, changed, deleted, renamed and moved
 * (also across roots, and case-only renames) between two runs are found by comparing the disk
 * with the database; moved files keep their rows and vectors and are not embedded again — both
 * by a one-shot `index` and by a watcher's start-up.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import { tempDir } from '../helpers/datasets.js';
import { EventLog, indexedRows, writeSmallPhotos } from './watch-fixtures.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

describe('identity across runs', { timeout: 120_000 }, () => {
  const root = tempDir('likeness-identity-');
  const photos = path.join(root, 'photos');
  const other = path.join(root, 'other-root');
  const spare = path.join(root, 'spare');
  const dbPath = path.join(root, 'library.db');
  let library: Library;

  before(async () => {
    await writeSmallPhotos(path.join(photos, '2023'), 8, { prefix: 'p' });
    await writeSmallPhotos(other, 2, { prefix: 'o', start: 30 });
    await writeSmallPhotos(spare, 4, { prefix: 's', start: 40 });
    library = Library.open({ dbPath, workers: 1 });
  });

  after(async () => {
    await library.close();
  });

  test('one-shot index: moves, renames, case-only renames and cross-root moves keep ids and vectors', async () => {
    const first = await library.index([photos, other]);
    assert.equal(first.indexed, 10);
    const before = indexedRows(dbPath);
    await library.close();

    const p = (name: string) => path.join(photos, '2023', name);
    fs.mkdirSync(path.join(photos, '2024', 'trip'), { recursive: true });
    fs.renameSync(p('p-0000.jpg'), path.join(photos, '2024', 'trip', 'moved.jpg')); // move
    fs.renameSync(p('p-0001.jpg'), p('renamed.jpg')); // rename
    fs.renameSync(p('p-0002.jpg'), p('P-0002.JPG')); // case-only rename
    fs.renameSync(p('p-0003.jpg'), path.join(other, 'crossed.jpg')); // to another root
    fs.rmSync(p('p-0004.jpg')); // delete
    fs.copyFileSync(path.join(spare, 's-0040.jpg'), p('p-0005.jpg')); // change content
    fs.copyFileSync(path.join(spare, 's-0041.jpg'), p('new.jpg')); // add
    const touched = p('p-0006.jpg');
    fs.utimesSync(touched, new Date(), new Date('2030-01-01')); // mtime only

    library = Library.open({ dbPath, workers: 1 });
    const second = await library.index([photos, other]);
    assert.equal(second.moved, 4, 'move, rename, case-only rename, cross-root move');
    assert.equal(second.added, 1);
    assert.equal(second.updated, 1);
    assert.equal(second.removed, 1);
    assert.equal(second.indexed, 2, 'only the new and the changed file were embedded');
    const afterRows = indexedRows(dbPath);
    const same = (from: string, to: string) => {
      const a = before.get(from)!;
      const b = afterRows.get(to)!;
      assert.ok(b, `${to} is indexed`);
      assert.equal(b.id, a.id, `${path.basename(from)} → ${path.basename(to)} kept its id`);
      assert.equal(b.vector, a.vector, 'and its vector');
      assert.equal(afterRows.get(from), undefined);
    };
    same(p('p-0000.jpg'), path.join(photos, '2024', 'trip', 'moved.jpg'));
    same(p('p-0001.jpg'), p('renamed.jpg'));
    same(p('p-0002.jpg'), p('P-0002.JPG'));
    same(p('p-0003.jpg'), path.join(other, 'crossed.jpg'));
    assert.equal(afterRows.get(p('p-0005.jpg'))!.id, before.get(p('p-0005.jpg'))!.id, 'a changed file keeps its id');
    assert.notEqual(afterRows.get(p('p-0005.jpg'))!.hash, before.get(p('p-0005.jpg'))!.hash);
    assert.deepEqual(afterRows.get(touched), before.get(touched), 'same bytes, new mtime: nothing re-done');
    assert.equal(afterRows.get(p('p-0004.jpg')), undefined);
    assert.equal(library.status().indexed, 10);
  });

  test('a watcher start-up reconciles the same way, then watches', async () => {
    const before = indexedRows(dbPath);
    await library.close();
    const from = path.join(photos, '2024', 'trip', 'moved.jpg');
    const to = path.join(photos, 'moved-again.jpg');
    fs.renameSync(from, to);
    fs.copyFileSync(path.join(spare, 's-0042.jpg'), path.join(photos, 'while-closed.jpg'));
    fs.rmSync(path.join(other, 'o-0030.jpg'));

    library = Library.open({ dbPath, workers: 1 });
    const log = new EventLog();
    const watcher = await library.watch({ debounceMs: 50, stableMs: 200, onEvent: log.listener });
    await watcher.idle();
    const afterRows = indexedRows(dbPath);
    assert.equal(afterRows.get(to)?.id, before.get(from)!.id);
    assert.ok(afterRows.get(path.join(photos, 'while-closed.jpg')));
    assert.equal(afterRows.get(path.join(other, 'o-0030.jpg')), undefined);
    const kinds = log.events.map((e) => e.type).sort();
    assert.deepEqual(kinds, ['added', 'moved', 'ready', 'removed']);

    // ... and keeps watching.
    const mark = log.mark();
    const live = path.join(photos, 'live.jpg');
    fs.copyFileSync(path.join(spare, 's-0043.jpg'), live);
    await log.wait('added event', (e) => e.type === 'added' && e.path === live, mark);
    await library.stopWatching();
  });
});
