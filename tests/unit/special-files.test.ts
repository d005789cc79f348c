/**
 * Files that are not regular files (a named pipe with a photo's name): reading one waits for a
 * writer for ever. The scanner reports them with a reason, decoding refuses them, and a query
 * with one is refused at once instead of hanging.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { scanFolder } from '../../main/core/library/scanner.js';
import { decodeFile } from '../../main/core/imaging/decode.js';
import { Library } from '../../main/core/library.js';
import { ferrariPhotos, tempDir } from '../helpers/datasets.js';

function folderWithFifo(): { dir: string; fifo: string; link: string } {
  const dir = path.join(tempDir('likeness-fifo-'), 'photos');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(ferrariPhotos(1)[0], path.join(dir, 'real.jpg'));
  const fifo = path.join(dir, 'pipe.jpg');
  execFileSync('mkfifo', [fifo]);
  const link = path.join(dir, 'link-to-pipe.jpg');
  fs.symlinkSync(fifo, link);
  return { dir, fifo, link };
}

test('the scanner names a FIFO (and a symlink to one) as skipped, with why', { skip: process.platform === 'win32' }, async () => {
  const { dir, fifo, link } = folderWithFifo();
  const { files, problems } = await scanFolder(dir);
  assert.deepEqual(files.map((f) => path.basename(f.path)), ['real.jpg']);
  assert.deepEqual(
    problems.map((p) => [p.path, p.reason]),
    [
      [link, 'not a regular file (a named pipe (FIFO)): skipped'],
      [fifo, 'not a regular file (a named pipe (FIFO)): skipped'],
    ],
  );
});

test('decoding a FIFO is refused at once (it used to wait for a writer for ever)', { skip: process.platform === 'win32', timeout: 10_000 }, async () => {
  const { fifo } = folderWithFifo();
  await assert.rejects(decodeFile(fifo, { cnnSize: 224, thumbnail: false }), /not a regular file/);
});

test('similar with a FIFO as the query is refused at once, and so is a folder', { skip: process.platform === 'win32', timeout: 10_000 }, async () => {
  const { dir, fifo } = folderWithFifo();
  const library = Library.open({ dbPath: path.join(path.dirname(dir), 'library.db') });
  try {
    await assert.rejects(library.similar([fifo]), /query image is not a regular file \(a named pipe, socket or device\)/);
    await assert.rejects(library.similar([dir]), /query image is a folder/);
  } finally {
    await library.close();
  }
});
