/**
 * Roots and identity SQL on a real (temporary) database: nested roots, removing a root, moves
 * (chains and moves onto an existing path), copies, and the reachability check of a root.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../main/core/store/database.js';
import { FilesRepository } from '../../main/core/store/files-repository.js';
import { LibraryStore, outermost, rootOf } from '../../main/core/library/library-store.js';
import { rootPresence } from '../../main/core/library/presence.js';
import { tempDir } from '../helpers/datasets.js';

function fresh() {
  const db = openDatabase(path.join(tempDir(), 'lib.db'));
  return { db, repo: new FilesRepository(db), store: new LibraryStore(db) };
}

const facts = (hash: string) => ({
  contentHash: hash, format: 'jpeg', width: 10, height: 10, takenAt: null, camera: null, lens: null, gpsLat: null, gpsLon: null, dhash: '0', phash: '0',
});

function indexFake(repo: FilesRepository, file: string, hash: string, size = 100): number {
  repo.insertPending([{ path: file, size, mtimeMs: 1 }]);
  const id = repo.byPath(file)!.id;
  repo.saveResults([{ id, facts: facts(hash), vector: new Float32Array([1, 2, 3]), modelId: 'm', thumbnail: null }], []);
  return id;
}

test('outermost roots and the root of a file', () => {
  assert.deepEqual(outermost(['/a/b', '/a', '/c', '/a/b/c', '/ab']), ['/a', '/ab', '/c']);
  assert.equal(rootOf('/a/b/x.jpg', ['/a/b', '/a']), '/a');
  assert.equal(rootOf('/ab/x.jpg', ['/a']), undefined);
});

test('removing a root forgets only what no other root covers', () => {
  const { repo, store } = fresh();
  store.addRoot('/r');
  store.addRoot('/r/keep');
  store.addRoot('/other');
  const gone = indexFake(repo, '/r/x.jpg', 'h1');
  const kept = indexFake(repo, '/r/keep/y.jpg', 'h2');
  const elsewhere = indexFake(repo, '/other/z.jpg', 'h3');
  assert.deepEqual(store.removeRoot('/r'), [gone]);
  assert.ok(repo.byId(kept));
  assert.ok(repo.byId(elsewhere));
  assert.equal(repo.vectorOf(gone, 'm'), undefined, 'its vector went with it');
  assert.deepEqual(store.rootRows().map((r) => r.path), ['/other', '/r/keep']);
  assert.deepEqual(store.countsUnder('/r/keep'), { files: 1, indexed: 1, pending: 0, failed: 0 });
});

test('apply: a chain of moves, a move onto an existing file, a copy and pending files, atomically', () => {
  const { repo, store } = fresh();
  const a = indexFake(repo, '/r/a.jpg', 'ha');
  const b = indexFake(repo, '/r/b.jpg', 'hb');
  const c = indexFake(repo, '/r/c.jpg', 'hc');
  const to = (p: string) => ({ path: p, size: 100, mtimeMs: 2 });
  // a → b and b → d at once (the unique path must not collide); c is overwritten by a copy of d.
  const result = store.apply({
    moves: [{ id: a, to: to('/r/b.jpg') }, { id: b, to: to('/r/d.jpg') }],
    copies: [{ sourceId: b, to: to('/r/c.jpg') }],
    touches: [],
    removals: [],
    pending: [to('/r/new.jpg')],
  });
  assert.equal(repo.byPath('/r/b.jpg')!.id, a);
  assert.equal(repo.byPath('/r/d.jpg')!.id, b);
  assert.deepEqual(result.removedIds, [c], 'the file the copy replaced');
  const copy = repo.byPath('/r/c.jpg')!;
  assert.equal(copy.content_hash, 'hb');
  assert.equal(copy.status, 'indexed');
  assert.deepEqual(repo.vectorOf(copy.id, 'm'), new Float32Array([1, 2, 3]));
  assert.equal(repo.byPath('/r/new.jpg')!.status, 'pending');
  assert.equal(repo.byPath('/r/a.jpg'), undefined);
  assert.equal(store.indexedWithSize(100).length, 3);
});

test('a root is offline when missing, or an empty folder on another device (bare mount point)', async () => {
  const dir = tempDir();
  const present = await rootPresence(dir, null);
  assert.equal(present.present, true);
  const device = present.present ? present.device : -1;
  assert.equal((await rootPresence(dir, device + 1)).present, false, 'empty, device changed: drive not mounted');
  fs.writeFileSync(path.join(dir, 'x.jpg'), 'x');
  assert.equal((await rootPresence(dir, device + 1)).present, true, 'content there: a re-mount on a new device number');
  const missing = await rootPresence(path.join(dir, 'nope'), null);
  assert.equal(missing.present, false);
  assert.match(missing.present ? '' : missing.reason, /missing/);
});

test('root state: offline since, back online, polling', () => {
  const { store } = fresh();
  store.addRoot('/r', { device: 7 });
  assert.equal(store.setOnline('/r', false), true);
  assert.equal(store.setOnline('/r', false), false, 'already offline');
  assert.ok(store.root('/r')!.offline_since! > 0);
  assert.equal(store.setOnline('/r', true, 9), true);
  assert.equal(store.root('/r')!.offline_since, null);
  assert.equal(store.root('/r')!.device, 9);
  store.addRoot('/r', { polling: true });
  assert.equal(store.root('/r')!.polling, 1);
});
