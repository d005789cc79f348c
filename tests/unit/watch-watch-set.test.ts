/** The chokidar set: which roots are watched (and how), and what reaches the watcher from a live one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { RootRow } from '../../main/core/library/library-store.js';
import { describeWatchError, pollsRoot, rootsToWatch, WatchSet } from '../../main/core/watch/watch-set.js';
import { tempDir } from '../helpers/datasets.js';

const row = (p: string, offline = false, polling = 0) => ({ path: p, offline_since: offline ? 1 : null, polling }) as Pick<RootRow, 'path' | 'offline_since' | 'polling'>;

test('only the outermost online roots are watched, never one inside an offline root', () => {
  assert.deepEqual(rootsToWatch([row('/a'), row('/a/b'), row('/c')]), ['/a', '/c']);
  assert.deepEqual(rootsToWatch([row('/nas', true), row('/nas/share'), row('/d', true)]), []);
});

test('a watched root is polled when it or a root inside it asks', () => {
  const rows = [row('/a'), row('/a/share', false, 1), row('/c')];
  assert.equal(pollsRoot('/a', rows), true);
  assert.equal(pollsRoot('/c', rows), false);
});

test('watch errors are explained in words', () => {
  const error = (code: string) => Object.assign(new Error('x'), { code });
  assert.match(describeWatchError(error('EACCES')), /permission denied/);
  assert.match(describeWatchError(error('ENOSPC')), /max_user_watches/);
  assert.equal(describeWatchError(error('ELOOP')), 'symlink loop');
  assert.match(describeWatchError(error('EMFILE')), /too many open files/);
  assert.equal(describeWatchError(error('EIO')), 'watch error: x');
});

test('a live set reports image files and vanished folders, nothing it must ignore', { timeout: 30_000 }, async () => {
  const root = tempDir();
  const inner = path.join(root, 'inner');
  const cache = path.join(root, 'cache');
  for (const dir of [inner, cache, path.join(root, '.hidden'), path.join(root, 'gone')]) fs.mkdirSync(dir);
  const files: string[] = [];
  let fileSeen!: (file: string) => void;
  let folderSeen!: (dir: string) => void;
  const photo = new Promise<string>((resolve) => (fileSeen = resolve));
  const folder = new Promise<string>((resolve) => (folderSeen = resolve));
  const set = new WatchSet(
    { pollIntervalMs: 100, exclude: [cache] },
    {
      file: (file) => {
        files.push(file);
        if (file.endsWith('photo.jpg')) fileSeen(file);
      },
      folderGone: (dir, watched) => watched === root && folderSeen(dir),
      problem: () => {},
    },
  );
  await set.sync([row(root), row(inner), row(path.join(root, 'missing'))], () => false);
  assert.deepEqual(set.roots(), [root]);
  assert.equal(set.rootOf(path.join(inner, 'x.jpg')), root);
  fs.writeFileSync(path.join(root, '.hidden', 'secret.jpg'), 'x');
  fs.writeFileSync(path.join(cache, 'thumb.jpg'), 'x');
  fs.writeFileSync(path.join(inner, 'notes.txt'), 'x');
  fs.writeFileSync(path.join(inner, 'photo.jpg'), 'x');
  assert.equal(await photo, path.join(inner, 'photo.jpg'));
  fs.rmSync(path.join(root, 'gone'), { recursive: true });
  assert.equal(await folder, path.join(root, 'gone'));
  assert.deepEqual(files, [path.join(inner, 'photo.jpg')], 'hidden folders, the cache and other files are not reported');
  await set.sync([row(root, true)], () => false);
  assert.deepEqual(set.roots(), [], 'an offline root is no longer watched');
  await set.close();
});
