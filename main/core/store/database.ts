/**
 * Opens the library database: WAL, foreign keys, and the schema brought up to date by numbered
 * migrations, each in its own transaction. A database written by a newer Likeness is refused
 * rather than guessed at, and so is a damaged one (with how to recover: see health.ts).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrations, type Migration } from './migrations/index.js';
import { DatabaseCorruptError, isCorruption, quickCheck } from './health.js';
import { CheckedState } from './checked-state.js';

export type Db = Database.Database;

export class DatabaseFromTheFutureError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `this library database has schema version ${found}, but this Likeness only knows up to ${supported}: ` +
        'it was written by a newer version — update Likeness, or open another --db',
    );
  }
}

export function openDatabase(file: string, list: Migration[] = migrations): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw explainOpenError(file, error);
  }
  try {
    openChecked(db, list);
    return db;
  } catch (error) {
    db.close();
    if (isCorruption(error) && !(error instanceof DatabaseCorruptError)) throw new DatabaseCorruptError(file, [(error as Error).message]);
    throw explainOpenError(file, error);
  }
}

/**
 * SQLite's "unable to open database file" as the user should read it. A WAL database can only be
 * opened where its folder can be written (SQLite keeps its shared-memory index and log beside
 * it), even to be read; a read-only folder (a read-only mount, a locked share) says so.
 */
function explainOpenError(file: string, error: unknown): unknown {
  const code = (error as { code?: string })?.code ?? '';
  if (!code.startsWith('SQLITE_CANTOPEN') && !code.startsWith('SQLITE_READONLY')) return error;
  const dir = path.dirname(path.resolve(file));
  let writable = true;
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    if (fs.existsSync(file)) fs.accessSync(file, fs.constants.W_OK);
  } catch {
    writable = false;
  }
  if (writable) return error;
  return new Error(
    `the library database ${file} is in a folder Likeness cannot write to (${dir} is read-only). ` +
      'SQLite keeps its log beside the database, so even reading it needs that folder to be writable: ' +
      'make it writable, or copy the database (and its -cache folder) somewhere writable and pass --db.',
  );
}

/** Settings, the structural check unless it passed on the file as it is (a damaged file is refused with how to recover), migrations. */
function openChecked(db: Db, list: Migration[]): void {
  // First, so that a second process opening the same new file waits for the first one's locks.
  db.pragma('busy_timeout = 5000');
  switchToWal(db);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const state = db.memory ? null : CheckedState.of(db.name);
  if (!state?.checkedBefore()) {
    const problems = quickCheck(db);
    if (problems.length) throw new DatabaseCorruptError(db.name, problems);
    state?.remember();
  }
  migrate(db, list);
}

/**
 * WAL mode, waiting for other processes switching the same new file: SQLite answers SQLITE_BUSY at
 * once, without its busy handler, when two connections both need the exclusive lock the switch
 * takes (it would deadlock otherwise), so the wait is ours.
 */
function switchToWal(db: Db, timeoutMs = 5000): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 20);
    }
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to date, one migration per transaction. The version is read again inside
 * each transaction's write lock (BEGIN IMMEDIATE): two processes opening one new database would
 * otherwise both read 0 and both run migration 1 (`table roots already exists`).
 */
export function migrate(db: Db, list: Migration[] = migrations): void {
  const latest = list.length === 0 ? 0 : list[list.length - 1].version;
  const current = schemaVersion(db);
  if (current > latest) throw new DatabaseFromTheFutureError(current, latest);
  if (current === latest) return; // up to date: no write lock needed (read-only folders, readers)
  const step = db.transaction((): boolean => {
    const now = schemaVersion(db);
    if (now > latest) throw new DatabaseFromTheFutureError(now, latest);
    const next = list.find((m) => m.version > now);
    if (!next) return false;
    db.exec(next.up);
    db.pragma(`user_version = ${next.version}`);
    return true;
  });
  while (step.immediate()) {
    // one migration per transaction, until none is left
  }
}
