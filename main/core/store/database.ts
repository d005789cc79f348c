/**
 * Opens the library database: WAL, foreign keys, and the schema brought up to date by numbered
 * migrations, each in its own transaction. A database written by a newer Likeness is refused
 * rather than guessed at.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrations, type Migration } from './migrations/index.js';

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
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, list);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, list: Migration[] = migrations): void {
  const latest = list.length === 0 ? 0 : list[list.length - 1].version;
  const current = schemaVersion(db);
  if (current > latest) throw new DatabaseFromTheFutureError(current, latest);
  for (const migration of list) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
