/**
 * A library whose database folder cannot be written (a read-only mount, a locked share) can still
 * be read: `status`, `similar`, `search`, `dupes`, `clusters`, `doctor` and the web mode answer,
 * say that the library is read-only, and refuse indexing and every change plainly. (Before, SQLite
 * could not create the WAL's shared-memory file beside the database and even `status` failed.)
 *
 * The folder is really read-only: as root (who ignores permission bits) a tmpfs remounted
 * read-only, else an immutable folder (`chattr +i`); as another user, chmod.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyInto, ferrariPhotos, tempDir } from '../helpers/datasets.js';
import { runCli } from '../helpers/cli.js';
import { startWebMode } from '../../main/server/web-mode.js';

const env = { ...process.env, LIKENESS_ANNOTATE: 'off' };

/** A folder that can be made read-only for this process (null: not possible here, and why). */
function lockableFolder(): { dir: string; lock(): void; unlock(): void } | string {
  const dir = path.join(tempDir('likeness-ro-'), 'library');
  fs.mkdirSync(dir);
  if (process.platform === 'win32') return 'no read-only folder test on Windows';
  if (process.getuid?.() !== 0) return { dir, lock: () => fs.chmodSync(dir, 0o555), unlock: () => fs.chmodSync(dir, 0o755) };
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dir], { stdio: 'ignore' });
    return {
      dir,
      lock: () => execFileSync('mount', ['-o', 'remount,ro', dir]),
      unlock: () => execFileSync('umount', [dir], { stdio: 'ignore' }),
    };
  } catch {
    // no mount here: an immutable folder stops root too, where the file system allows it
  }
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', dir], { stdio: 'ignore' });
  } catch {
    return 'running as root, and neither a read-only mount nor an immutable folder can be made here';
  }
  return { dir, lock: () => execFileSync('chattr', ['+i', dir]), unlock: () => execFileSync('chattr', ['-i', dir]) };
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const copiesLeft = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('likeness-read-only-')).length;

test('a library on a read-only folder answers reads, says it is read-only and refuses changes', async (t) => {
  const folder = lockableFolder();
  if (typeof folder === 'string') return t.skip(folder);
  const photos = copyInto(path.join(tempDir(), 'photos'), ferrariPhotos(6));
  const db = path.join(folder.dir, 'library.db');
  const indexed = await runCli(['index', path.dirname(photos[0]), '--db', db], { env });
  assert.equal(indexed.code, 0, indexed.stderr);
  const before = sha(db);
  const copiesBefore = copiesLeft();
  folder.lock();
  try {
    // What really failed before: opening the database at all.
    assert.throws(() => fs.writeFileSync(path.join(folder.dir, 'probe'), 'x'), /EROFS|EACCES|EPERM/);

    const status = await runCli(['status', '--db', db], { env });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Indexed 6, pending 0, failed 0/);
    assert.match(status.stdout, /Read-only: the library is in a read-only folder/);
    const statusJson = JSON.parse((await runCli(['status', '--db', db, '--json'], { env })).stdout);
    assert.equal(statusJson.indexed, 6);
    assert.match(statusJson.readOnly, /read-only folder .*indexing and changes are off/);

    const similar = await runCli(['similar', photos[0], '--k', '3', '--db', db, '--json'], { env });
    assert.equal(similar.code, 0, similar.stderr);
    const results = JSON.parse(similar.stdout)[0].results as { path: string; score: number }[];
    assert.equal(results.length, 3);
    for (const r of results) assert.ok(Number.isFinite(r.score) && photos.includes(r.path));

    for (const args of [['search', path.basename(photos[1], '.jpg')], ['dupes'], ['clusters'], ['doctor']]) {
      const answer = await runCli([...args, '--db', db, '--json'], { env });
      assert.equal(answer.code, 0, `${args[0]}: ${answer.stderr}`);
      JSON.parse(answer.stdout);
    }

    for (const args of [['tag', photos[0], 'beach'], ['index', path.dirname(photos[0])], ['dupes', 'undo'], ['roots', 'add', os.tmpdir()]]) {
      const refused = await runCli([...args, '--db', db], { env });
      assert.notEqual(refused.code, 0, `${args.join(' ')} was not refused`);
      assert.match(refused.stderr, /cannot .*: the library is in a read-only folder .*indexing and changes are off/);
    }

    // The web mode reads it too: no watching, changes answered `read-only`.
    const web = await startWebMode({ dbPath: db, port: 0 });
    try {
      const s = (await web.api.dispatch('status', {})) as { ok: true; value: { indexed: number; readOnly?: string; indexing: { watching: boolean } } };
      assert.equal(s.value.indexed, 6);
      assert.match(s.value.readOnly ?? '', /read-only folder/);
      assert.equal(s.value.indexing.watching, false);
      const page = (await web.api.dispatch('listPhotos', {})) as { ok: true; value: { photos: { id: number }[] } };
      const id = page.value.photos[0].id;
      for (const [call, req] of [['tag', { ids: [id], tags: ['x'] }], ['startIndexing', {}], ['updateSettings', { similarCount: 10 }]] as const) {
        const answer = (await web.api.dispatch(call, req)) as { ok: false; error: { code: string; message: string } };
        assert.equal(answer.ok, false, `${call} was not refused`);
        assert.equal(answer.error.code, 'read-only', `${call}: ${answer.error.message}`);
      }
      const similarAnswer = (await web.api.dispatch('similar', { ids: [id], k: 2 })) as { ok: true; value: { results: unknown[] } };
      assert.equal(similarAnswer.value.results.length, 2);
      // Nothing will annotate a read-only library: the things view must not wait for it.
      const things = (await web.api.dispatch('things', {})) as { ok: true; value: { annotation: { enabled: boolean } } };
      assert.equal(things.value.annotation.enabled, false);
    } finally {
      await web.close();
    }
    assert.equal(sha(db), before, 'the read-only database changed');
  } finally {
    folder.unlock();
  }
  assert.equal(copiesLeft(), copiesBefore, 'a private copy was left in the temporary folder');
});
