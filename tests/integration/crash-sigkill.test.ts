/**
 * Fault test: an indexing child process is killed with SIGKILL at several moments (early, and
 * twice in the middle of embedding). After each kill the database passes integrity_check and
 * every file indexed before the kill is still indexed with the same id and vector; a final run
 * indexes the rest, and no orphan vector or thumbnail is left. The same for a `watch` process
 * killed in the middle of an import.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { CLI, tempDir } from '../helpers/datasets.js';
import { auditLibrary, indexedRows, waitFor, writeSmallPhotos } from './watch-fixtures.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const run = promisify(execFile);

function indexedCount(dbPath: string): number {
  if (!fs.existsSync(dbPath)) return 0;
  try {
    const db = new Database(dbPath, { readonly: true });
    try {
      return (db.prepare("SELECT COUNT(*) AS n FROM files WHERE status = 'indexed'").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet, or the schema is being written
  }
}

function start(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code)));
  return { child, exited, output: () => output };
}

function assertSurvived(dbPath: string, before: Map<string, { id: number; hash: string; vector: string }>, when: string): void {
  const audit = auditLibrary(dbPath);
  assert.equal(audit.integrity, 'ok', `integrity after ${when}`);
  assert.equal(audit.orphanVectors, 0, `no orphan vector after ${when}`);
  assert.equal(audit.indexedWithoutVector, 0, `no indexed row without its vector after ${when}`);
  const now = indexedRows(dbPath);
  for (const [file, row] of before) assert.deepEqual(now.get(file), row, `${path.basename(file)} indexed before ${when} is still there, unchanged`);
}

describe('crash safety', { timeout: 300_000 }, () => {
  test('SIGKILL during `likeness index` loses nothing; a re-run completes', async () => {
    const root = tempDir('likeness-crash-');
    const photos = path.join(root, 'photos');
    const dbPath = path.join(root, 'library.db');
    const files = await writeSmallPhotos(photos, 120, { prefix: 'c', size: 160 });
    const args = ['index', photos, '--db', dbPath, '--workers', '1'];

    // 1. very early: during start-up or the scan
    let p = start(args);
    await new Promise((resolve) => setTimeout(resolve, 400));
    p.child.kill('SIGKILL');
    await p.exited;
    if (fs.existsSync(dbPath)) assertSurvived(dbPath, new Map(), 'an early kill');

    // 2 and 3. in the middle of embedding
    let snapshot = new Map<string, { id: number; hash: string; vector: string }>();
    for (const extra of [8, 30]) {
      p = start(args);
      const target = indexedCount(dbPath) + extra;
      await waitFor(`${target} files indexed`, () => indexedCount(dbPath) >= target || p.child.exitCode !== null, 60_000, 20);
      assert.equal(p.child.exitCode, null, `the run was still going when killed:\n${p.output()}`);
      snapshot = indexedRows(dbPath);
      p.child.kill('SIGKILL');
      await p.exited;
      assert.ok(indexedRows(dbPath).size >= snapshot.size);
      assertSurvived(dbPath, snapshot, 'a kill mid-run');
      assert.ok(indexedCount(dbPath) < files.length, 'killed before the end');
    }

    const { stdout } = await run(process.execPath, [CLI, ...args]);
    assert.match(stdout, /Indexed \d+ new or changed/);
    assertSurvived(dbPath, snapshot, 'the final run');
    const audit = auditLibrary(dbPath);
    assert.equal(audit.indexed, files.length);
    assert.equal(audit.pending, 0);
    assert.equal(audit.failed, 0);
    assert.equal(audit.vectors, files.length);
    assert.equal(audit.orphanThumbnails, 0, 'thumbnails written for uncommitted batches were swept');
    assert.equal(audit.missingThumbnails, 0);
  });

  test('SIGKILL during `likeness watch` mid-import loses nothing; the next start finishes', async () => {
    const root = tempDir('likeness-crash-watch-');
    const photos = path.join(root, 'photos');
    const incoming = path.join(root, 'incoming');
    const dbPath = path.join(root, 'library.db');
    await writeSmallPhotos(photos, 4, { prefix: 'w' });
    await writeSmallPhotos(incoming, 60, { prefix: 'i', start: 200 });
    const p = start(['watch', photos, '--db', dbPath, '--workers', '1', '--json']);
    await waitFor('watch ready and first files indexed', () => p.output().includes('"type":"ready"') && indexedCount(dbPath) >= 4, 60_000);
    fs.renameSync(incoming, path.join(photos, 'import'));
    await waitFor('part of the import indexed', () => indexedCount(dbPath) >= 14, 60_000, 20);
    const snapshot = indexedRows(dbPath);
    p.child.kill('SIGKILL');
    await p.exited;
    assertSurvived(dbPath, snapshot, 'killing the watcher');
    assert.ok(indexedCount(dbPath) < 64, 'killed before the end');

    await run(process.execPath, [CLI, 'index', photos, '--db', dbPath, '--workers', '1']);
    const audit = auditLibrary(dbPath);
    assert.equal(audit.indexed, 64);
    assert.equal(audit.pending, 0);
    assert.equal(audit.orphanThumbnails, 0);
    assertSurvived(dbPath, snapshot, 'the restart');
  });
});
