/**
 * A library whose database sits where it cannot be written (a read-only mount, a locked share, a
 * backup disk). SQLite keeps a WAL database's shared-memory index and log beside the file and must
 * create them even to read it, and better-sqlite3 cannot open it `immutable` (it is built without
 * URI file names). So the library is read from a private copy in a temporary folder: searching,
 * similar photos, duplicates and clusters work; indexing and every change are refused, since they
 * would be lost with the copy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from './database.js';

/** A change asked of a library that is read-only. */
export class ReadOnlyLibraryError extends Error {
  constructor(
    readonly action: string,
    readonly reason: string,
  ) {
    super(`cannot ${action}: ${reason}`);
    this.name = 'ReadOnlyLibraryError';
  }
}

/**
 * Why the database at `file` cannot be written (null when it can): its folder, or the file
 * itself, refuses writes. `access` answers truly for root as well on a read-only mount (EROFS) and
 * on an immutable file or folder (EPERM), where permission bits would not stop root.
 */
export function whyReadOnly(file: string): string | null {
  const dir = path.dirname(file);
  if (!fs.existsSync(file)) return null; // a new library: opening it reports what is wrong
  const denied = (target: string) => {
    try {
      fs.accessSync(target, fs.constants.W_OK);
      return false;
    } catch {
      return true;
    }
  };
  if (denied(dir)) return `the library is in a read-only folder (${dir}), so indexing and changes are off`;
  if (denied(file)) return `the library database ${file} is read-only, so indexing and changes are off`;
  return null;
}

export interface PrivateCopy {
  /** The copy's database file (writable, in a folder of its own). */
  file: string;
  dir: string;
  /** Removes the copy. */
  dispose(): void;
}

/**
 * Copies the database (and its write-ahead log, which may hold committed pages not yet in the
 * file) into a new temporary folder. The shared-memory index is rebuilt by SQLite from the log.
 */
export function privateCopyOf(file: string): PrivateCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-read-only-'));
  const copy = path.join(dir, path.basename(file));
  try {
    fs.copyFileSync(file, copy);
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot read the read-only library ${file}: copying it to ${dir} failed (${(error as Error).message})`, { cause: error });
  }
  return { file: copy, dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A library's database opened for use: the file itself, or a private copy of a read-only one. */
export interface OpenedLibraryDb {
  db: Db;
  /** Why the library cannot be changed (see whyReadOnly), or null. */
  readOnly: string | null;
  copy: PrivateCopy | null;
}

export function openLibraryDb(file: string): OpenedLibraryDb {
  const readOnly = whyReadOnly(file);
  const copy = readOnly ? privateCopyOf(file) : null;
  try {
    return { db: openDatabase(copy?.file ?? file), readOnly, copy };
  } catch (error) {
    copy?.dispose();
    throw error;
  }
}
