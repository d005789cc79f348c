/**
 * The structural check on open is skipped when it passed on the file exactly as it is
 * (store/checked-state.ts), and runs again whenever the file has been written since.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../main/core/store/database.js';
import { DatabaseCorruptError } from '../../main/core/store/health.js';
import { FilesRepository } from '../../main/core/store/files-repository.js';
import { CheckedState } from '../../main/core/store/checked-state.js';
import { tempDir } from '../helpers/datasets.js';
import { overwriteRootPage } from '../helpers/damage.js';

/** A closed database of 2,000 files whose last write is `ageMs` old. */
function makeDatabase(ageMs: number): string {
  const dbPath = path.join(tempDir('likeness-checked-'), 'library.db');
  const db = openDatabase(dbPath);
  new FilesRepository(db).insertPending(Array.from({ length: 2000 }, (_, i) => ({ path: `/photos/IMG_${i}.jpg`, size: 1, mtimeMs: 1 })));
  db.close();
  settle(dbPath, ageMs);
  return dbPath;
}

/** Sets the file's modification time `ageMs` into the past, as if written then. */
function settle(file: string, ageMs: number): void {
  const then = new Date(Date.now() - ageMs);
  fs.utimesSync(file, then, then);
}

test('a passed check is remembered for the file as it is: the next open of the unchanged file skips it', () => {
  const dbPath = makeDatabase(60_000);
  assert.equal(CheckedState.of(dbPath)!.checkedBefore(), false);
  openDatabase(dbPath).close();
  assert.equal(CheckedState.of(dbPath)!.checkedBefore(), true, 'stamped after a passed check');

  // Damage that leaves size, inode and time as they were is not seen: the proof that the check was skipped.
  const { mtime } = fs.statSync(dbPath);
  overwriteRootPage(dbPath, 'files_content_hash');
  fs.utimesSync(dbPath, mtime, mtime);
  openDatabase(dbPath).close();

  // The same damage with the time a write gives it: checked again, and refused.
  settle(dbPath, 50_000);
  assert.throws(() => openDatabase(dbPath), DatabaseCorruptError);
});

test('a write through SQLite changes the state: the next open checks again', () => {
  const dbPath = makeDatabase(60_000);
  openDatabase(dbPath).close();
  assert.equal(CheckedState.of(dbPath)!.checkedBefore(), true);
  const db = openDatabase(dbPath);
  new FilesRepository(db).insertPending([{ path: '/photos/new.jpg', size: 1, mtimeMs: 1 }]);
  assert.equal(CheckedState.of(dbPath)!.checkedBefore(), false, 'the log holds the write');
  db.close();
  assert.equal(CheckedState.of(dbPath)!.checkedBefore(), false, 'the write is in the file');
});

test('a file written in the last seconds is checked but not stamped (a write in the same clock tick would not show)', () => {
  const dbPath = makeDatabase(0);
  openDatabase(dbPath).close();
  assert.equal(CheckedState.of(dbPath)!.checkedBefore(), false);
  settle(dbPath, 10_000);
  openDatabase(dbPath).close();
  assert.equal(CheckedState.of(dbPath)!.checkedBefore(), true);
});
