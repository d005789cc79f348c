/**
 * A full disk: the library lives on a tiny tmpfs that fills up mid-index. Indexing stops with a
 * clear message (exit 1), the database passes integrity_check and keeps what was committed; once
 * space is freed, a re-run indexes the rest. Needs permission to mount a tmpfs (root on Linux):
 * skipped elsewhere.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI, tempDir } from '../helpers/datasets.js';
import { auditLibrary, writeSmallPhotos } from './watch-fixtures.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const run = promisify(execFile);

function tryMount(dir: string, size: string): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a full disk', { timeout: 180_000 }, () => {
  const root = tempDir('likeness-full-');
  const small = path.join(root, 'small-disk');
  let mounted = false;

  after(() => {
    if (mounted) execFileSync('umount', [small], { stdio: 'ignore' });
  });

  test('stops indexing with a clear message, no corruption; freeing space lets it finish', async (t) => {
    fs.mkdirSync(small);
    mounted = tryMount(small, '700k');
    if (!mounted) return t.skip('cannot mount a small tmpfs here (needs root on Linux)');
    const photos = path.join(root, 'photos');
    await writeSmallPhotos(photos, 40, { prefix: 'f', size: 160 });
    const dbPath = path.join(small, 'library.db');
    const args = [CLI, 'index', photos, '--db', dbPath, '--workers', '1'];

    const failed = await run(process.execPath, args).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    assert.ok(failed, 'the run fails');
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /the disk holding the library is full: indexing stopped/);
    const audit = auditLibrary(dbPath);
    assert.equal(audit.integrity, 'ok');
    assert.equal(audit.orphanVectors, 0);
    assert.equal(audit.indexedWithoutVector, 0);
    assert.ok(audit.indexed < 40, 'it stopped before the end');

    execFileSync('mount', ['-o', 'remount,size=64m', small]);
    await run(process.execPath, args);
    const done = auditLibrary(dbPath);
    assert.equal(done.integrity, 'ok');
    assert.equal(done.indexed, 40);
    assert.equal(done.pending, 0);
    assert.equal(done.orphanThumbnails, 0);
  });
});
