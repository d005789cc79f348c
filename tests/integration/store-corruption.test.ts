/**
 * A damaged library database is noticed. Pages overwritten with garbage: every command refuses
 * the file with what happened and how to recover (the photos are untouched; rebuild the index),
 * and `likeness doctor` reports it. Damaged vector blobs (numbers that are not finite, the wrong
 * length), which pass every SQLite check: never a NaN score; those files are queued to be
 * embedded again, and `doctor` lists them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../main/core/store/database.js';
import { FilesRepository } from '../../main/core/store/files-repository.js';
import { Library } from '../../main/core/library.js';
import { LibraryStore } from '../../main/core/library/library-store.js';
import { tempDir } from '../helpers/datasets.js';
import { runCli } from '../helpers/cli.js';
import { overwriteRootPage } from '../helpers/damage.js';
import { createApi } from '../../main/api/handlers.js';
import type { DatabaseCheck } from '../../preload/contract.js';

const DIMS = 16;

/** A library of `count` indexed files (paths that need not exist) with random 16-d vectors. */
function makeLibrary(count: number): { dbPath: string; paths: string[] } {
  const dbPath = path.join(tempDir('likeness-corrupt-'), 'library.db');
  const db = openDatabase(dbPath);
  const repo = new FilesRepository(db);
  const paths = Array.from({ length: count }, (_, i) => `/photos/album-${i % 7}/IMG_${String(i).padStart(4, '0')}.jpg`);
  new LibraryStore(db).addRoot('/photos');
  repo.insertPending(paths.map((p, i) => ({ path: p, size: 1000 + i, mtimeMs: 1 })));
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  repo.saveResults(
    paths.map((p) => ({
      id: repo.byPath(p)!.id,
      facts: { contentHash: `hash-${p}`, format: 'jpeg', width: 640, height: 480, takenAt: null, camera: null, lens: null, gpsLat: null, gpsLon: null, dhash: '0', phash: '0' },
      vector: Float32Array.from({ length: DIMS }, random),
      modelId: 'test-model',
      thumbnail: null,
    })),
    [],
  );
  db.close();
  return { dbPath, paths };
}

/** Fails the way a command fails: exit code and stderr. */
const cli = (args: string[]) => runCli(args);

test('a database with overwritten pages is refused by every command, with how to recover; doctor reports it', async () => {
  const { dbPath } = makeLibrary(300);
  // An index `status` never reads: before, status said "Indexed 300" over the damaged file.
  overwriteRootPage(dbPath, 'files_content_hash');

  const status = await cli(['status', '--db', dbPath]);
  assert.equal(status.code, 1, status.stdout);
  assert.doesNotMatch(status.stdout, /Indexed 300/);
  assert.match(status.stderr, /library database .* is damaged/);
  assert.match(status.stderr, /photos are untouched/);
  assert.match(status.stderr, /likeness index/);

  const doctor = await cli(['doctor', '--db', dbPath, '--json']);
  assert.equal(doctor.code, 1);
  const report = JSON.parse(doctor.stdout) as { ok: boolean; structure: string[]; advice: string };
  assert.equal(report.ok, false);
  assert.ok(report.structure.length > 0);
  assert.match(report.advice, /photos are untouched/);
});

test('damaged vector blobs never give a NaN score: those files are queued again, and doctor lists them', async () => {
  const { dbPath, paths } = makeLibrary(80);
  const raw = new Database(dbPath);
  const idOf = (p: string) => raw.prepare('SELECT id FROM files WHERE path = ?').pluck().get(p) as number;
  raw.prepare('UPDATE vectors SET vector = ? WHERE file_id = ?').run(Buffer.alloc(DIMS * 4, 0xff), idOf(paths[5])); // NaNs
  raw.prepare('UPDATE vectors SET vector = ? WHERE file_id = ?').run(Buffer.alloc(12, 1), idOf(paths[9])); // 3 numbers
  raw.close();

  // Structurally sound: the file opens; the blobs are what is wrong.
  const similar = await cli(['similar', paths[0], '--db', dbPath, '--json', '--k', '100']);
  assert.equal(similar.code, 0, similar.stderr);
  const [answer] = JSON.parse(similar.stdout) as { results: { path: string; score: unknown }[] }[];
  assert.equal(answer.results.length, 77, 'every sound photo but the query');
  for (const r of answer.results) assert.ok(typeof r.score === 'number' && Number.isFinite(r.score), `${r.path}: ${String(r.score)}`);
  assert.ok(!answer.results.some((r) => r.path === paths[5] || r.path === paths[9]));

  const status = await cli(['status', '--db', dbPath, '--json']);
  const counts = JSON.parse(status.stdout) as { indexed: number; pending: number };
  assert.deepEqual({ indexed: counts.indexed, pending: counts.pending }, { indexed: 78, pending: 2 }, 'the damaged two wait to be embedded again');

  // The damaged photo as the query: its stored vector is not used (here the file is gone).
  const library = Library.open({ dbPath });
  try {
    await assert.rejects(library.similar([paths[5]]), /not found/);
  } finally {
    await library.close();
  }
});

test('doctor finds damaged vectors before anything used them, and queues them', async () => {
  const { dbPath, paths } = makeLibrary(20);
  const raw = new Database(dbPath);
  const id = raw.prepare('SELECT id FROM files WHERE path = ?').pluck().get(paths[3]) as number;
  const bad = new Float32Array(DIMS).fill(1);
  bad[4] = Infinity;
  raw.prepare('UPDATE vectors SET vector = ? WHERE file_id = ?').run(Buffer.from(bad.buffer), id);
  raw.close();

  const doctor = await cli(['doctor', '--db', dbPath, '--json']);
  assert.equal(doctor.code, 1);
  const report = JSON.parse(doctor.stdout) as { ok: boolean; structure: string[]; vectors: { checked: number; damaged: { path: string; reason: string }[]; queued: boolean } };
  assert.deepEqual(report.structure, []);
  assert.equal(report.vectors.checked, 20);
  assert.deepEqual(report.vectors.damaged.map((d) => d.path), [paths[3]]);
  assert.match(report.vectors.damaged[0].reason, /not finite/);
  assert.equal(report.vectors.queued, true);

  const again = await cli(['doctor', '--db', dbPath]);
  assert.equal(again.code, 0, again.stdout);
  assert.match(again.stdout, /19 checked, none damaged/);
});

test('a damaged stored search vector is computed again from its sound raw vector, never scored as NaN', async () => {
  const { dbPath, paths } = makeLibrary(40);
  const first = await cli(['similar', paths[0], '--db', dbPath, '--json', '--k', '100']); // stores the search space
  assert.equal(first.code, 0, first.stderr);
  const expected = JSON.parse(first.stdout) as { results: { path: string; score: number }[] }[];
  const raw = new Database(dbPath);
  const id = raw.prepare('SELECT id FROM files WHERE path = ?').pluck().get(paths[7]) as number;
  const stored = raw.prepare('SELECT length(vector) FROM search_vectors WHERE file_id = ?').pluck().get(id) as number;
  assert.ok(stored > 0, 'the search space was stored');
  raw.prepare('UPDATE search_vectors SET vector = ? WHERE file_id = ?').run(Buffer.alloc(stored, 0xff), id); // NaNs
  raw.close();

  const again = await cli(['similar', paths[0], '--db', dbPath, '--json', '--k', '100']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(JSON.parse(again.stdout), expected, 'the same answer as before the damage');
});

test('Settings → Check library: the API runs the full check in a worker and reports damage with what to do', async () => {
  const { dbPath, paths } = makeLibrary(30);
  const raw = new Database(dbPath);
  const id = raw.prepare('SELECT id FROM files WHERE path = ?').pluck().get(paths[11]) as number;
  raw.prepare('UPDATE vectors SET vector = ? WHERE file_id = ?').run(Buffer.alloc(DIMS * 4, 0xff), id); // NaNs
  raw.close();
  const library = Library.open({ dbPath });
  const api = createApi({ library, dbPath, thumbnailDir: library.thumbnailDir, host: { mode: 'web' }, legacySettingsFile: null });
  try {
    const started = (await api.dispatch('checkDatabase', {})) as { ok: true; value: DatabaseCheck };
    assert.equal(started.value.running, true);
    // The check runs off this thread: calls are answered meanwhile.
    assert.equal(((await api.dispatch('status', {})) as { ok: true; value: { indexed: number } }).value.indexed, 30);
    let state = started.value;
    while (state.running) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      state = ((await api.dispatch('databaseCheck', {})) as { ok: true; value: DatabaseCheck }).value;
    }
    assert.equal(state.error, null);
    assert.equal(state.report?.ok, false);
    assert.deepEqual(state.report?.structure, []);
    assert.equal(state.report?.vectorsChecked, 30);
    assert.deepEqual(state.report?.damaged.map((d) => d.path), [paths[11]]);
    assert.match(state.report?.advice ?? '', /embed those photos again; your photos are untouched/);
  } finally {
    await api.close();
    await library.close();
  }
});
