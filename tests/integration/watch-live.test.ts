/**
 * A running watcher driven by real file-system operations: add, modify, rename, move across
 * sub-folders, move a whole folder, copy, delete, a write in progress, hidden folders, a rescan,
 * a bulk add of 500 files — each followed by assertions on the index (rows, ids, vectors, search).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import type { Watcher } from '../../main/core/watch/watcher.js';
import { tempDir } from '../helpers/datasets.js';
import { auditLibrary, EventLog, waitFor, writeSmallPhotos } from './watch-fixtures.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const FAST = { debounceMs: 50, stableMs: 200, deleteGraceMs: 400, presenceCheckMs: 300 };

describe('watching a folder', { timeout: 240_000 }, () => {
  const root = tempDir('likeness-watch-');
  const photos = path.join(root, 'photos');
  const spare = path.join(root, 'spare'); // photos made in advance, outside the library
  const dbPath = path.join(root, 'lib', 'library.db');
  const log = new EventLog();
  let library: Library;
  let watcher: Watcher;

  const row = (file: string) => library.files.byPath(file);
  const indexed = (file: string) => row(file)?.status === 'indexed';
  const sha1 = (file: string) => crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');

  before(async () => {
    await writeSmallPhotos(path.join(photos, 'a'), 6, { prefix: 'a' });
    await writeSmallPhotos(path.join(photos, 'b'), 4, { prefix: 'b', start: 6 });
    await writeSmallPhotos(spare, 12, { prefix: 'spare', start: 20 });
    fs.symlinkSync('.', path.join(photos, 'loop')); // a symlink loop: reported, not fatal
    library = Library.open({ dbPath, workers: 2 });
    await library.addRoot(photos);
    watcher = await library.watch({ ...FAST, onEvent: log.listener });
  });

  after(async () => {
    await library.close();
  });

  test('start-up indexes what is there, then reports ready; a symlink loop is reported, not fatal', async () => {
    assert.ok(log.events.some((e) => e.type === 'ready'));
    const loop = log.events.find((e) => e.type === 'problem' && e.path === path.join(photos, 'loop'));
    assert.ok(loop && loop.type === 'problem' && /symlink loop|already scanned/.test(loop.reason), 'the loop is reported');
    await watcher.idle();
    assert.equal(library.status().indexed, 10);
    assert.deepEqual(library.rootsWithState().map((r) => [r.path, r.online, r.watched, r.indexed]), [[photos, true, true, 10]]);
  });

  test('a new file becomes searchable', async () => {
    const mark = log.mark();
    const file = path.join(photos, 'a', 'new-1.jpg');
    fs.copyFileSync(path.join(spare, 'spare-0020.jpg'), file);
    await log.wait('added event', (e) => e.type === 'added' && e.path === file, mark);
    assert.ok(indexed(file));
    assert.equal(row(file)!.content_hash, sha1(file));
    const [answer] = await library.similar([file], 3);
    assert.equal(answer.results.length, 3, 'searched with its stored vector');
    assert.ok(!answer.results.some((r) => r.path === file));
    const other = path.join(photos, 'b', 'b-0006.jpg');
    const [fromOther] = await library.similar([other], 50);
    assert.ok(fromOther.results.some((r) => r.path === file), 'and other photos find it');
  });

  test('a modified file is re-indexed in place (same id, new hash)', async () => {
    const file = path.join(photos, 'a', 'a-0001.jpg');
    const before = row(file)!;
    const mark = log.mark();
    fs.writeFileSync(file + '.part', fs.readFileSync(path.join(spare, 'spare-0021.jpg')));
    fs.renameSync(file + '.part', file); // an editor's atomic save
    await log.wait('updated event', (e) => e.type === 'updated' && e.path === file, mark);
    const after = row(file)!;
    assert.equal(after.id, before.id);
    assert.notEqual(after.content_hash, before.content_hash);
    assert.equal(after.content_hash, sha1(file));
  });

  test('a rename keeps the row and its vector: not re-embedded, not reported as deleted + new', async () => {
    const from = path.join(photos, 'a', 'a-0002.jpg');
    const to = path.join(photos, 'a', 'renamed.jpg');
    const before = row(from)!;
    const vector = library.files.vectorOf(before.id, library.modelId)!;
    const mark = log.mark();
    fs.renameSync(from, to);
    await log.wait('moved event', (e) => e.type === 'moved' && e.to === to, mark);
    await watcher.idle();
    const after = row(to)!;
    assert.equal(after.id, before.id);
    assert.equal(after.indexed_at, before.indexed_at, 'not embedded again');
    assert.deepEqual(library.files.vectorOf(after.id, library.modelId), vector);
    assert.equal(row(from), undefined);
    const noise = log.since(mark).filter((e) => (e.type === 'added' || e.type === 'removed') && (e.path === from || e.path === to));
    assert.deepEqual(noise, []);
  });

  test('a move across sub-folders keeps the row', async () => {
    const from = path.join(photos, 'b', 'b-0007.jpg');
    const to = path.join(photos, 'a', 'deeper', 'moved.jpg');
    const before = row(from)!;
    const mark = log.mark();
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(from, to);
    await log.wait('moved event', (e) => e.type === 'moved' && e.to === to, mark);
    assert.equal(row(to)!.id, before.id);
    assert.equal(row(to)!.indexed_at, before.indexed_at);
  });

  test('moving a whole folder moves every row', async () => {
    const from = path.join(photos, 'b');
    const to = path.join(photos, 'b-renamed');
    const before = new Map([...library.files.filesUnder(from)].map(([p, r]) => [path.basename(p), r.id]));
    assert.ok(before.size >= 3);
    const mark = log.mark();
    fs.renameSync(from, to);
    await waitFor('rows under the new folder', () => library.files.filesUnder(to).size === before.size);
    await watcher.idle();
    for (const [name, id] of before) assert.equal(row(path.join(to, name))?.id, id, name);
    assert.equal(library.files.filesUnder(from).size, 0);
    assert.equal(log.since(mark).filter((e) => e.type === 'removed' || e.type === 'added').length, 0);
  });

  test('a copy of a known photo is added without decoding it again', async () => {
    const source = path.join(photos, 'a', 'a-0003.jpg');
    const copy = path.join(photos, 'a', 'copy-of-3.jpg');
    const mark = log.mark();
    fs.copyFileSync(source, copy);
    const event = await log.wait('added event', (e) => e.type === 'added' && e.path === copy, mark);
    assert.equal(event.type === 'added' && event.copyOf, source);
    const original = row(source)!;
    const duplicate = row(copy)!;
    assert.notEqual(duplicate.id, original.id);
    assert.equal(duplicate.content_hash, original.content_hash);
    assert.deepEqual(library.files.vectorOf(duplicate.id, library.modelId), library.files.vectorOf(original.id, library.modelId));
  });

  test('a move across devices (copy, then delete the original) ends with the original row at the new place', async () => {
    const from = path.join(photos, 'a', 'a-0005.jpg');
    const to = path.join(photos, 'b-renamed', 'from-another-disk.jpg');
    const before = row(from)!;
    let mark = log.mark();
    fs.copyFileSync(from, to); // what `mv` does across file systems: copy first ...
    await log.wait('the copy', (e) => e.type === 'added' && e.path === to, mark);
    mark = log.mark();
    fs.rmSync(from); // ... then delete the original
    await log.wait('moved event', (e) => e.type === 'moved' && e.from === from && e.to === to, mark);
    await watcher.idle();
    assert.equal(row(to)!.id, before.id, 'the original id (tags, decisions) lives on');
    assert.equal(row(from), undefined);
    const count = (library.db.prepare('SELECT COUNT(*) AS n FROM files WHERE content_hash = ?').get(before.content_hash) as { n: number }).n;
    assert.equal(count, 1, 'no leftover copy row');
    assert.deepEqual(log.since(mark).filter((e) => e.type === 'removed'), []);
  });

  test('a deleted file leaves the index and the search results', async () => {
    const file = path.join(photos, 'a', 'a-0004.jpg');
    const id = row(file)!.id;
    const mark = log.mark();
    fs.rmSync(file);
    await log.wait('removed event', (e) => e.type === 'removed' && e.path === file, mark);
    assert.equal(library.files.byId(id), undefined);
    const [answer] = await library.similar([path.join(photos, 'a', 'renamed.jpg')], 100);
    assert.ok(!answer.results.some((r) => r.id === id));
  });

  test('a file still being written is waited for, never indexed half-written', async () => {
    const file = path.join(photos, 'a', 'slow-copy.jpg');
    const bytes = fs.readFileSync(path.join(spare, 'spare-0022.jpg'));
    const mark = log.mark();
    const handle = fs.openSync(file, 'w');
    fs.writeSync(handle, bytes, 0, Math.floor(bytes.length / 2));
    // Wait for the watcher's decision, not a guessed delay: untouched for longer than stableMs,
    // the half file is still held back, for its missing end marker.
    await waitFor('the half file held back as cut short', () => {
      const held = watcher.heldBack(file);
      return held?.why === 'cut-short' && held.age >= FAST.stableMs;
    });
    assert.ok(!row(file) || row(file)!.status === 'pending', 'the half file is not indexed');
    fs.writeSync(handle, bytes, Math.floor(bytes.length / 2), bytes.length - Math.floor(bytes.length / 2));
    fs.closeSync(handle);
    await log.wait('added event', (e) => e.type === 'added' && e.path === file, mark);
    assert.equal(row(file)!.content_hash, sha1(file));
    assert.deepEqual(log.about(file, mark).filter((e) => e.type === 'failed'), [], 'no failure was recorded on the way');
  });

  test('hidden folders and the app cache are ignored', async () => {
    const hidden = path.join(photos, '.thumbnails', 'x.jpg');
    fs.mkdirSync(path.dirname(hidden), { recursive: true });
    fs.copyFileSync(path.join(spare, 'spare-0023.jpg'), hidden);
    const marker = path.join(photos, 'a', 'after-hidden.jpg');
    fs.copyFileSync(path.join(spare, 'spare-0024.jpg'), marker);
    await waitFor('the visible file', () => indexed(marker));
    await watcher.idle();
    assert.equal(row(hidden), undefined);
  });

  test('a rescan reconciles the roots again without a restart: what no event told is caught, and watching goes on', async () => {
    const [file] = [...library.files.filesUnder(photos).values()].filter((r) => r.status === 'indexed').map((r) => r.path);
    const id = row(file)!.id;
    library.files.markForReindex([id]); // a damaged vector: no file event will ever tell
    const mark = log.mark();
    await watcher.rescan();
    const ready = log.since(mark).find((e) => e.type === 'ready');
    assert.deepEqual(ready, { type: 'ready', roots: [photos], pending: 1 });
    await log.wait('the row embedded again', (e) => (e.type === 'added' || e.type === 'updated') && e.id === id, mark);
    assert.ok(indexed(file));
    assert.equal(watcher.closed, false, 'the same watcher goes on');
    const added = path.join(photos, 'after-rescan.jpg');
    fs.copyFileSync(path.join(spare, 'spare-0025.jpg'), added);
    await log.wait('a file added after the rescan', (e) => e.type === 'added' && e.path === added, mark);
    assert.deepEqual(library.rootsWithState().map((r) => [r.path, r.watched]), [[photos, true]]);
  });

  test('a bulk add of 500 files is indexed completely', async () => {
    const incoming = path.join(root, 'incoming');
    await writeSmallPhotos(incoming, 500, { prefix: 'bulk', start: 100, size: 128 });
    const before = library.status().indexed;
    const started = Date.now();
    fs.renameSync(incoming, path.join(photos, 'import')); // lands at once, like a folder moved in
    await waitFor('500 new rows indexed', () => library.files.filesUnder(path.join(photos, 'import')).size === 500 && library.status().pending === 0, 120_000, 200);
    await watcher.idle();
    const seconds = (Date.now() - started) / 1000;
    const rows = [...library.files.filesUnder(path.join(photos, 'import')).values()];
    assert.equal(rows.filter((r) => r.status === 'indexed').length, 500);
    assert.equal(new Set(rows.map((r) => r.content_hash)).size, 500, 'distinct content');
    assert.equal(library.status().indexed, before + 500);
    const audit = auditLibrary(dbPath);
    assert.equal(audit.indexedWithoutVector, 0);
    assert.equal(audit.orphanVectors, 0);
    console.log(`# bulk add: 500 files indexed in ${seconds.toFixed(1)} s (${(500 / seconds).toFixed(0)} files/s) while watching`);
  });

  test('thumbnails of deleted photos are swept; none is missing', async () => {
    fs.rmSync(path.join(photos, 'import'), { recursive: true });
    await waitFor('import rows removed', () => library.files.filesUnder(path.join(photos, 'import')).size === 0, 20_000);
    await watcher.idle();
    const audit = auditLibrary(dbPath);
    assert.equal(audit.orphanThumbnails, 0);
    assert.equal(audit.missingThumbnails, 0);
    assert.equal(audit.integrity, 'ok');
  });
});
