/**
 * The cheap identity checks on the main thread: the streamed hash equals the decoder's content
 * hash, name-exact existence (case-only renames), the end-marker check that tells a file still
 * being written, and the folder names the scanner and watcher skip.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeFile } from '../../main/core/imaging/decode.js';
import { ExactExistence, hashFile, looksComplete } from '../../main/core/library/identity.js';
import { isSkippedName, scanFolder } from '../../main/core/library/scanner.js';
import { ferrariPhotos, tempDir } from '../helpers/datasets.js';

test('the streamed hash is the content hash the decoder records', async () => {
  const photo = ferrariPhotos(1)[0];
  const decoded = await decodeFile(photo, { cnnSize: 224, thumbnail: false });
  assert.equal(await hashFile(photo), decoded.contentHash);
});

test('existence respects the exact spelling of a name', async () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'IMG_1.JPG'), 'x');
  const existence = new ExactExistence();
  assert.equal(await existence.exists(path.join(dir, 'IMG_1.JPG')), true);
  assert.equal(await existence.exists(path.join(dir, 'img_1.jpg')), false, 'even where the disk ignores case');
  assert.equal(await existence.exists(path.join(dir, 'missing', 'a.jpg')), false);
});

test('a JPEG or PNG cut short does not look complete; a whole one does', async () => {
  const dir = tempDir();
  const photo = fs.readFileSync(ferrariPhotos(1)[0]);
  const whole = path.join(dir, 'whole.jpg');
  const half = path.join(dir, 'half.jpg');
  fs.writeFileSync(whole, photo);
  fs.writeFileSync(half, photo.subarray(0, photo.length >> 1));
  assert.equal(await looksComplete(whole, photo.length), true);
  assert.equal(await looksComplete(half, photo.length >> 1), false);
  const padded = path.join(dir, 'padded.jpg');
  fs.writeFileSync(padded, Buffer.concat([photo, Buffer.alloc(40)]));
  assert.equal(await looksComplete(padded, photo.length + 40), true, 'padding after the marker is allowed');
  const png = path.join(dir, 'cut.png');
  fs.writeFileSync(png, Buffer.from('\x89PNG\r\n\x1a\n' + 'x'.repeat(100), 'latin1'));
  assert.equal(await looksComplete(png, 108), false);
  assert.equal(await looksComplete(path.join(dir, 'any.webp'), 10), true, 'other formats are left to the decoder');
});

test('hidden and system folders are skipped by the scanner', async () => {
  const dir = tempDir();
  for (const sub of ['.hidden', '@eaDir', 'ok']) {
    fs.mkdirSync(path.join(dir, sub));
    fs.copyFileSync(ferrariPhotos(1)[0], path.join(dir, sub, 'p.jpg'));
  }
  assert.ok(isSkippedName('.DS_Store') && isSkippedName('$RECYCLE.BIN') && !isSkippedName('Photos'));
  const { files } = await scanFolder(dir);
  assert.deepEqual(files.map((f) => path.relative(dir, f.path)), [path.join('ok', 'p.jpg')]);
});
