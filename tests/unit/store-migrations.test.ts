import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DatabaseFromTheFutureError, migrate, openDatabase, schemaVersion } from '../../main/core/store/database.js';
import { migrations } from '../../main/core/store/migrations/index.js';
import { tempDir } from '../helpers/datasets.js';

test('a new database is brought to the latest schema, in WAL mode', () => {
  const file = path.join(tempDir(), 'nested', 'folder', 'lib.db');
  const db = openDatabase(file);
  assert.equal(schemaVersion(db), migrations[migrations.length - 1].version);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
  for (const name of ['files', 'vectors', 'whitening', 'roots', 'settings']) assert.ok(tables.includes(name), name);
  db.close();
});

test('migrations are numbered 1..N without gaps', () => {
  migrations.forEach((m, i) => assert.equal(m.version, i + 1, m.name));
});

test('reopening runs nothing twice and keeps data', () => {
  const file = path.join(tempDir(), 'lib.db');
  const db = openDatabase(file);
  db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
  db.close();
  const again = openDatabase(file);
  assert.equal((again.prepare("SELECT value FROM settings WHERE key = 'k'").get() as { value: string }).value, 'v');
  again.close();
});

test('a database from a newer Likeness is refused, untouched', () => {
  const file = path.join(tempDir(), 'future.db');
  const raw = new Database(file);
  raw.pragma('user_version = 999');
  raw.exec('CREATE TABLE mystery (x)');
  raw.close();
  assert.throws(() => openDatabase(file), (error: unknown) => {
    assert.ok(error instanceof DatabaseFromTheFutureError);
    assert.match((error as Error).message, /newer version/);
    return true;
  });
  const check = new Database(file);
  assert.equal(check.pragma('user_version', { simple: true }), 999);
  check.close();
});

test('a failing migration rolls back completely and leaves the previous version', () => {
  const db = new Database(':memory:');
  const list = [
    { version: 1, name: 'one', up: 'CREATE TABLE a (x);' },
    { version: 2, name: 'broken', up: 'CREATE TABLE b (x); INSERT INTO nowhere VALUES (1);' },
  ];
  assert.throws(() => migrate(db, list), /nowhere/);
  assert.equal(schemaVersion(db), 1);
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
  assert.deepEqual(tables, ['a'], 'table b from the failed migration is gone');
  db.close();
});

/**
 * Child processes that each open `file` the moment `go` appears (so they all race the migrations
 * of one new database); each prints 'ready', then 'ok' or its error.
 */
async function openAtOnce(file: string, count: number): Promise<string[]> {
  const go = `${file}.go`;
  const database = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'main', 'core', 'store', 'database.js');
  const script = `
    const { openDatabase } = await import(${JSON.stringify(new URL(`file://${database}`).href)});
    const fs = await import('node:fs');
    process.stdout.write('ready\\n');
    while (!fs.existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 2));
    try { openDatabase(${JSON.stringify(file)}).close(); console.log('ok'); }
    catch (e) { console.log('error: ' + e.message); }`;
  const children = Array.from({ length: count }, () => spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const outputs = children.map((child) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    return { ready: new Promise<void>((resolve) => child.stdout.on('data', () => out.includes('ready') && resolve())), done: new Promise<string>((resolve) => child.on('close', () => resolve(out))) };
  });
  await Promise.all(outputs.map((o) => o.ready));
  fs.writeFileSync(go, '');
  return (await Promise.all(outputs.map((o) => o.done))).map((out) => out.replace('ready', '').trim());
}

test('several processes opening one new database at once all get the migrated schema', async () => {
  // Before the version was read inside the write lock, 2 runs in 10 failed with 'duplicate
  // column name' or 'table roots already exists'.
  const failures: string[] = [];
  for (let round = 0; round < 6; round++) {
    const file = path.join(tempDir(), 'race.db');
    const results = await openAtOnce(file, 4);
    failures.push(...results.filter((r) => r !== 'ok'));
    const db = openDatabase(file);
    assert.equal(schemaVersion(db), migrations[migrations.length - 1].version);
    db.close();
  }
  assert.deepEqual(failures, []);
});

test('a database in a read-only folder is reported plainly, not as "unable to open database file"', { skip: process.platform === 'win32' }, async (t) => {
  const dir = path.join(tempDir(), 'ro');
  fs.mkdirSync(dir);
  // Root ignores permissions: there, a tmpfs remounted read-only; elsewhere, chmod.
  const root = process.getuid?.() === 0;
  if (root) {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'ignore' });
    } catch {
      return t.skip('cannot make a read-only folder here (root without mount)');
    }
  }
  const file = path.join(dir, 'library.db');
  try {
    const db = openDatabase(file);
    db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
    db.close();
    if (root) execFileSync('mount', ['-o', 'remount,ro', dir]);
    else fs.chmodSync(dir, 0o555);
    assert.throws(() => openDatabase(file), /library database .* is in a folder Likeness cannot write to \(.* is read-only\)/);
  } finally {
    if (root) execFileSync('umount', [dir], { stdio: 'ignore' });
    else fs.chmodSync(dir, 0o755);
  }
});
