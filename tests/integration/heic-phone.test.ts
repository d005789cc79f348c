/**
 * Phone HEIC at full size (4032×3024, real photo content, EXIF from the camera): one with the
 * embedded 320×240 thumbnail phones write, one without. Both index with the photo's full size,
 * its EXIF, an upright landscape thumbnail and a vector of the same picture — the first from its
 * embedded thumbnail, the second from the photo itself (native heif-convert when installed; the
 * WebAssembly decoder gives the same pixels). Skipped without heif-enc.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Library } from '../../main/core/library.js';
import { decodeFile } from '../../main/core/imaging/decode.js';
import { withThumbnailAsPrimary } from '../../main/core/imaging/heif-boxes.js';
import { nativeDecoder } from '../../main/core/imaging/heic.js';
import { ferrariPhotos, tempDir } from '../helpers/datasets.js';
import { hasHeifEnc } from '../helpers/fixtures.js';

process.env.LIKENESS_ANNOTATE ??= 'off';

const cosine = (a: Float32Array, b: Float32Array) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
};

describe('12 MP phone HEIC, with and without its embedded thumbnail', { skip: !hasHeifEnc() && 'heif-enc (libheif-examples) is not installed' }, () => {
  const root = tempDir('likeness-heic-phone-');
  const photos = path.join(root, 'photos');
  const withThumb = path.join(photos, 'IMG_0001.HEIC');
  const withoutThumb = path.join(photos, 'IMG_0002.HEIC');
  let library: Library;

  before(async () => {
    fs.mkdirSync(photos, { recursive: true });
    const jpeg = path.join(root, 'camera.jpg');
    await sharp(ferrariPhotos()[7])
      .resize(4032, 3024, { fit: 'cover' })
      .withExif({ IFD0: { Make: 'Apple', Model: 'iPhone 13 Pro' }, IFD2: { DateTimeOriginal: '2023:05:04 10:11:12' } })
      .jpeg({ quality: 90 })
      .toFile(jpeg);
    const encode = (out: string, thumb: string[]) => execFileSync('heif-enc', ['-q', '50', '-p', 'preset=ultrafast', ...thumb, '-o', out, jpeg], { stdio: 'ignore' });
    encode(withThumb, ['-t', '320']);
    encode(withoutThumb, []);
    library = Library.open({ dbPath: path.join(root, 'lib', 'library.db'), engine: 'onnx', workers: 1 });
    const summary = await library.index([photos]);
    assert.equal(summary.indexed, 2, JSON.stringify(summary));
  });

  after(async () => library?.close());

  test('the thumbnail is found in the file, and only where there is one', async () => {
    const bytes = fs.readFileSync(withThumb);
    const original = Buffer.from(bytes);
    const patched = withThumbnailAsPrimary(bytes);
    assert.ok(bytes.equals(original), 'the bytes read are not changed (a patched copy is made)');
    assert.ok(patched, 'a thumbnail was found');
    const meta = await sharp(patched).metadata();
    assert.deepEqual([meta.width, meta.height], [320, 240], 'the patched file shows the 320×240 thumbnail as its image');
    assert.equal(withThumbnailAsPrimary(fs.readFileSync(withoutThumb)), null);
  });

  test('both are stored with the full size, the camera EXIF and an upright landscape thumbnail', async () => {
    for (const file of [withThumb, withoutThumb]) {
      const row = library.files.byPath(file)!;
      assert.equal(row.status, 'indexed', `${path.basename(file)}: ${row.error}`);
      assert.equal(row.format, 'heic');
      assert.deepEqual([row.width, row.height], [4032, 3024], 'the size is the photo’s, not the thumbnail’s');
      assert.equal(row.camera, 'Apple iPhone 13 Pro');
      assert.ok(row.taken_at?.startsWith('2023-05-04'), `taken_at ${row.taken_at}`);
      const thumb = await sharp(row.thumbnail!).metadata();
      assert.deepEqual([thumb.width, thumb.height], [256, 192]);
    }
  });

  test('the thumbnail-made entry shows and finds the same picture as the full decode', async () => {
    const [a, b] = [withThumb, withoutThumb].map((f) => library.files.byPath(f)!);
    const pixels = async (file: string) => sharp(file).resize(64, 48).raw().toBuffer();
    const [pa, pb] = await Promise.all([pixels(a.thumbnail!), pixels(b.thumbnail!)]);
    let diff = 0;
    for (let i = 0; i < pa.length; i++) diff += Math.abs(pa[i] - pb[i]);
    assert.ok(diff / pa.length < 6, `thumbnails differ by ${(diff / pa.length).toFixed(1)} levels on average`);
    const model = library.targetModelId;
    const similarity = cosine(library.files.vectorOf(a.id, model)!, library.files.vectorOf(b.id, model)!);
    assert.ok(similarity > 0.95, `vector cosine ${similarity.toFixed(4)}`);
  });

  test('the native decoder and the WebAssembly one give the same picture', { skip: !nativeDecoder() && 'no heif-dec / heif-convert on PATH' }, async () => {
    const native = await decodeFile(withoutThumb, { cnnSize: 224, thumbnail: false });
    process.env.LIKENESS_HEIF_DECODER = 'wasm';
    try {
      const wasm = await decodeFile(withoutThumb, { cnnSize: 224, thumbnail: false });
      let diff = 0;
      for (let i = 0; i < native.cnnInput.length; i++) diff += Math.abs(native.cnnInput[i] - wasm.cnnInput[i]);
      assert.ok(diff / native.cnnInput.length < 3, `CNN inputs differ by ${(diff / native.cnnInput.length).toFixed(2)} levels on average`);
      assert.deepEqual([native.width, native.height, native.takenAt], [wasm.width, wasm.height, wasm.takenAt]);
    } finally {
      delete process.env.LIKENESS_HEIF_DECODER;
    }
  });
});
