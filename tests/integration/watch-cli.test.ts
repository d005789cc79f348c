/**
 * `likeness watch` and `likeness roots` as a user runs them: one line per change, a clean exit 0
 * on SIGINT/SIGTERM that finishes the batch in flight (every committed file was reported and
 * nothing is half-saved), roots listed, added with polling, and removed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLI, tempDir } from '../helpers/datasets.js';
import { auditLibrary, waitFor, writeSmallPhotos } from './watch-fixtures.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const run = promisify(execFile);

function watchProcess(args: string[]) {
  const child = spawn(process.execPath, [CLI, 'watch', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const events = () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; path?: string; from?: string; to?: string });
  return { child, exited, events, stdout: () => stdout, stderr: () => stderr };
}

describe('likeness watch / roots', { timeout: 240_000 }, () => {
  const root = tempDir('likeness-watch-cli-');
  const photos = path.join(root, 'photos');
  const spare = path.join(root, 'spare');
  const dbPath = path.join(root, 'library.db');

  test('prints one line per change and exits 0 on SIGINT', async () => {
    await writeSmallPhotos(photos, 3, { prefix: 'p' });
    await writeSmallPhotos(spare, 3, { prefix: 's', start: 10 });
    const w = watchProcess([photos, '--db', dbPath, '--workers', '1', '--json']);
    await waitFor('ready', () => w.events().some((e) => e.type === 'ready'), 60_000);
    await waitFor('start-up indexing', () => w.events().filter((e) => e.type === 'added').length === 3, 60_000);

    const added = path.join(photos, 'new.jpg');
    fs.copyFileSync(path.join(spare, 's-0010.jpg'), added);
    await waitFor('added line', () => w.events().some((e) => e.type === 'added' && e.path === added));
    const renamed = path.join(photos, 'renamed.jpg');
    fs.renameSync(added, renamed);
    await waitFor('moved line', () => w.events().some((e) => e.type === 'moved' && e.from === added && e.to === renamed));
    fs.rmSync(path.join(photos, 'p-0000.jpg'));
    await waitFor('removed line', () => w.events().some((e) => e.type === 'removed' && e.path === path.join(photos, 'p-0000.jpg')));

    w.child.kill('SIGINT');
    assert.equal(await w.exited, 0, w.stderr());
    const lines = w.stdout().trim().split('\n');
    assert.ok(lines.every((l) => JSON.parse(l).type), 'every line is one event');
    assert.equal(auditLibrary(dbPath).integrity, 'ok');
  });

  test('the text format: one readable line per change', async () => {
    const w = watchProcess(['--db', dbPath, '--workers', '1']); // no folder: the library's roots
    await waitFor('ready line', () => /^ready\s+watching /m.test(w.stdout()), 60_000);
    const file = path.join(photos, 'text.jpg');
    fs.copyFileSync(path.join(spare, 's-0011.jpg'), file);
    await waitFor('added line', () => w.stdout().includes(`added    ${file}\n`));
    w.child.kill('SIGTERM');
    assert.equal(await w.exited, 0);
    assert.match(w.stderr(), /SIGTERM: finishing the current batch/);
  });

  test('SIGTERM in the middle of an import finishes the batch in flight and exits 0', async () => {
    const incoming = path.join(root, 'incoming');
    await writeSmallPhotos(incoming, 40, { prefix: 'burst', start: 300 });
    const w = watchProcess([photos, '--db', dbPath, '--workers', '1', '--json']);
    await waitFor('ready', () => w.events().some((e) => e.type === 'ready'), 60_000);
    fs.renameSync(incoming, path.join(photos, 'burst'));
    await waitFor('first burst file', () => w.events().some((e) => e.type === 'added' && e.path?.includes('burst-')), 60_000);
    w.child.kill('SIGTERM');
    assert.equal(await w.exited, 0, w.stderr());
    const audit = auditLibrary(dbPath);
    assert.equal(audit.integrity, 'ok');
    assert.equal(audit.orphanVectors, 0);
    const reported = w.events().filter((e) => e.type === 'added' && e.path?.includes('burst-')).length;
    const { stdout } = await run(process.execPath, [CLI, 'status', '--db', dbPath, '--json']);
    const status = JSON.parse(stdout) as { indexed: number; pending: number };
    const before = 3 - 1 + 2; // p-0001, p-0002, renamed.jpg, text.jpg
    assert.equal(status.indexed, before + reported, 'every committed file was reported, nothing more');
    assert.equal(status.indexed + status.pending, before + 40, 'the rest is pending, nothing lost');
    assert.ok(status.pending > 0, 'stopped before the end');
  });

  test('roots: list, add with polling, remove', async () => {
    const second = path.join(root, 'nas');
    await writeSmallPhotos(second, 2, { prefix: 'nas', start: 60 });
    const list = async () => JSON.parse((await run(process.execPath, [CLI, 'roots', '--db', dbPath, '--json'])).stdout) as { path: string; polling: boolean; online: boolean; indexed: number; pending: number }[];
    assert.deepEqual((await list()).map((r) => r.path), [photos]);

    const added = await run(process.execPath, [CLI, 'roots', 'add', second, '--poll', '--db', dbPath]);
    assert.match(added.stdout, /Added .*nas, watched by polling/);
    const roots = await list();
    assert.deepEqual(roots.map((r) => [r.path, r.polling, r.online]), [[second, true, true], [photos, false, true]]);

    // A polled root is picked up by watch; changes arrive by polling.
    const w = watchProcess(['--db', dbPath, '--workers', '1', '--json', '--poll-interval', '200']);
    await waitFor('the polled root indexed', () => w.events().filter((e) => e.type === 'added' && e.path?.startsWith(second)).length === 2, 90_000);
    const polled = path.join(second, 'polled.jpg');
    fs.copyFileSync(path.join(spare, 's-0012.jpg'), polled);
    await waitFor('a change seen by polling', () => w.events().some((e) => e.type === 'added' && e.path === polled), 30_000);
    // A folder added from another process is picked up by the running watch.
    const third = path.join(root, 'third');
    await writeSmallPhotos(third, 2, { prefix: 't', start: 70 });
    await run(process.execPath, [CLI, 'roots', 'add', third, '--db', dbPath]);
    await waitFor('the folder added beside it', () => w.events().filter((e) => e.type === 'added' && e.path?.startsWith(third + path.sep)).length === 2, 30_000);
    await run(process.execPath, [CLI, 'roots', 'remove', third, '--db', dbPath]);
    w.child.kill('SIGINT');
    assert.equal(await w.exited, 0);

    const removed = await run(process.execPath, [CLI, 'roots', 'remove', second, '--db', dbPath]);
    assert.match(removed.stdout, /3 entries left the index \(no file on disk was touched\)/);
    assert.ok(fs.existsSync(polled));
    assert.deepEqual((await list()).map((r) => r.path), [photos]);
    const text = await run(process.execPath, [CLI, 'roots', 'list', '--db', dbPath]);
    assert.match(text.stdout, new RegExp(`${photos}\\n\\s+online; \\d+ indexed, \\d+ pending, 0 failed`));
  });
});
