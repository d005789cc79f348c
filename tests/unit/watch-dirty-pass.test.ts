/** One pass over dirty paths, on a real (temporary) database and folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../main/core/store/database.js';
import { FilesRepository } from '../../main/core/store/files-repository.js';
import { LibraryStore } from '../../main/core/library/library-store.js';
import { rootPresence } from '../../main/core/library/presence.js';
import { ChangedPaths } from '../../main/core/watch/changed-paths.js';
import { RecentCopies } from '../../main/core/watch/cross-device-moves.js';
import { passOverDirty, type PassEnv } from '../../main/core/watch/dirty-pass.js';
import { tempDir } from '../helpers/datasets.js';

const JPEG_END = Buffer.from([0xff, 0xd9]);

function fresh(timings: Partial<PassEnv['timings']> = {}) {
  const dir = tempDir();
  const root = path.join(dir, 'photos');
  fs.mkdirSync(root);
  const db = openDatabase(path.join(dir, 'lib.db'));
  const repo = new FilesRepository(db);
  const store = new LibraryStore(db);
  store.addRoot(root, { device: fs.statSync(root).dev });
  const offline: string[] = [];
  const copies = new RecentCopies();
  const env: PassEnv = {
    store,
    timings: { settleMs: 50, stableMs: 300, incompleteWaitMs: 5000, deleteGraceMs: 0, ...timings },
    copies,
    isIgnored: (file) => path.basename(file).startsWith('.'),
    presenceOf: (r) => rootPresence(r, store.root(r)?.device ?? null),
    wentOffline: (r, reason) => offline.push(`${r}: ${reason}`),
  };
  return { root, repo, store, env, offline, copies, changed: new ChangedPaths() };
}

/** A JPEG-looking file (with its end marker unless `cut`), last written `ageMs` ago. */
function writePhoto(file: string, bytes: string, ageMs: number, cut = false): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.from(bytes.padEnd(64, '.')), cut ? Buffer.alloc(0) : JPEG_END]));
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(file, when, when);
}

function indexFake(repo: FilesRepository, file: string, hash: string): number {
  const stat = fs.statSync(file);
  repo.insertPending([{ path: file, size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) }]);
  const id = repo.byPath(file)!.id;
  const facts = { contentHash: hash, format: 'jpeg', width: 10, height: 10, takenAt: null, camera: null, lens: null, gpsLat: null, gpsLon: null, dhash: '0', phash: '0' };
  repo.saveResults([{ id, facts, vector: new Float32Array([1, 2, 3]), modelId: 'm', thumbnail: null }], []);
  return id;
}

test('a new, finished photo becomes a pending row to embed', async () => {
  const { root, store, env, changed } = fresh();
  const file = path.join(root, 'a', 'new.jpg');
  writePhoto(file, 'new', 10_000);
  changed.mark(file);
  const changes = await passOverDirty(changed, env);
  const row = store.byPath(file);
  assert.equal(row?.status, 'pending');
  assert.deepEqual(changes?.pending.map((r) => r.id), [row!.id]);
  assert.equal(changed.empty, true);
});

test('a photo still being written (no end marker yet) is held back, not indexed', async () => {
  const { root, store, env, changed } = fresh();
  const file = path.join(root, 'slow.jpg');
  writePhoto(file, 'half', 1000, true);
  changed.mark(file);
  assert.equal(await passOverDirty(changed, env), null);
  assert.equal(store.byPath(file), undefined);
  assert.equal(changed.heldBack(file)?.why, 'cut-short');
  assert.ok(changed.dirty.get(file)!.retryAt > Date.now(), 'looked at again later');
});

test('an ignored path is not looked at', async () => {
  const { root, store, env, changed } = fresh();
  const file = path.join(root, '.hidden.jpg');
  writePhoto(file, 'h', 10_000);
  changed.mark(file);
  await passOverDirty(changed, env);
  assert.equal(store.byPath(file), undefined);
});

test('a deleted photo waits out the grace period for its move, then leaves the index', async () => {
  const { root, repo, env, changed } = fresh({ deleteGraceMs: 60_000 });
  const file = path.join(root, 'x.jpg');
  writePhoto(file, 'x', 10_000);
  const id = indexFake(repo, file, 'hx');
  fs.rmSync(file);
  changed.mark(file);
  assert.deepEqual((await passOverDirty(changed, env))?.removals, [], 'held: a move may bring it back');
  assert.ok(repo.byId(id));
  assert.ok(changed.goneSince.has(id));
  env.timings.deleteGraceMs = 0;
  const changes = await passOverDirty(changed, env);
  assert.deepEqual(changes?.removals, [{ id, path: file }]);
  assert.equal(repo.byId(id), undefined);
  assert.equal(changed.goneSince.size, 0);
});

test('files gone with their whole root are not deleted: the root goes offline', async () => {
  const { root, repo, env, changed, offline } = fresh();
  const file = path.join(root, 'y.jpg');
  writePhoto(file, 'y', 10_000);
  const id = indexFake(repo, file, 'hy');
  fs.rmSync(root, { recursive: true });
  changed.mark(file);
  assert.equal(await passOverDirty(changed, env), null);
  assert.ok(repo.byId(id), 'kept');
  assert.equal(offline.length, 1);
  assert.match(offline[0], /photos: the folder is missing/);
});

test('the original of a recent copy, once deleted, follows the copy (a move across devices)', async () => {
  const { root, repo, env, changed, copies } = fresh();
  const original = path.join(root, 'disk-a', 'z.jpg');
  const copy = path.join(root, 'disk-b', 'z.jpg');
  writePhoto(original, 'z', 10_000);
  writePhoto(copy, 'z', 10_000);
  const originalId = indexFake(repo, original, 'hz');
  const copyId = indexFake(repo, copy, 'hz');
  copies.remember(originalId, copyId);
  fs.rmSync(original);
  changed.mark(original);
  const changes = await passOverDirty(changed, env);
  assert.deepEqual(changes?.moves.map((m) => [m.id, m.from, m.to.path]), [[originalId, original, copy]]);
  assert.deepEqual(changes?.removals, []);
  assert.equal(repo.byPath(copy)?.id, originalId, 'the original row (id, tags, decisions) took its place');
  assert.equal(repo.byId(copyId), undefined);
});
