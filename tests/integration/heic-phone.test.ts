/**
 * Phone HEIC end to end: a 4032×3024 photo turned upright by irot, with the camera's EXIF, with
 * the 320×240 thumbnail phones embed and without one, indexes with its full upright size, its
 * EXIF and an upright picture — through the system's heif-convert and through the WebAssembly
 * fallback. The thumbnail is what gets decoded when there is one. Skipped without heif-enc.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createRequire } from 'node:module';
import { Library } from '../../main/core/library.js';
import { decodeFile, openForDisplay } from '../../main/core/imaging/decode.js';
import { resolveMedia } from '../../main/api/media.js';
import type { CoreLibrary } from '../../main/api/library-port.js';
import { heifThumbnail } from '../../main/core/imaging/heif-container.js';
import { nativeHeifAvailable } from '../../main/core/imaging/heif-native.js';
import { ferrariPhotos, tempDir } from '../helpers/datasets.js';
import { hasHeifEnc } from '../helpers/fixtures.js';
import { phoneHeicPaths, writePhoneHeic, writePhoneJpeg } from '../helpers/phone-heic.js';

process.env.LIKENESS_ANNOTATE ??= 'off';

const heicDecode = createRequire(import.meta.url)('heic-decode') as (input: { buffer: Uint8Array }) => Promise<{ width: number; height: number }>;

const hamming = (a: string, b: string) => {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let n = 0;
  for (; x; x >>= 1n) n += Number(x & 1n);
  return n;
};

describe('phone HEIC (4032×3024, irot, EXIF, with and without thumbnail)', { skip: !hasHeifEnc() && 'heif-enc (libheif-examples) is not installed' }, () => {
  const root = tempDir('likeness-phone-heic-');
  const photos = path.join(root, 'photos');
  const heic = phoneHeicPaths(photos);
  const jpeg = path.join(root, 'phone.jpg'); // the same photo, upright by EXIF orientation 6
  let upright: { dhash: string; phash: string };
  let sideways: { dhash: string };

  before(async () => {
    fs.mkdirSync(photos, { recursive: true });
    const source = ferrariPhotos()[7];
    await writePhoneJpeg(source, jpeg);
    writePhoneHeic(jpeg, heic.withThumbnail, { thumbnail: true });
    writePhoneHeic(jpeg, heic.withoutThumbnail, { thumbnail: false });
    upright = await decodeFile(jpeg, { cnnSize: 224, thumbnail: false });
    const flat = path.join(root, 'sideways.jpg');
    await sharp(jpeg).jpeg().toFile(flat); // the sensor pixels, not turned (sharp drops the EXIF)
    sideways = await decodeFile(flat, { cnnSize: 224, thumbnail: false });
  });

  after(() => {
    delete process.env.LIKENESS_HEIC_DECODER;
  });

  test('the embedded thumbnail is found, standalone, and shows the same upright picture', async () => {
    const bytes = fs.readFileSync(heic.withThumbnail);
    const thumbnail = heifThumbnail(bytes, 224, 256);
    assert.ok(thumbnail, 'a 320×240 thumbnail is large enough for a 224 px CNN input and a 256 px thumbnail');
    assert.deepEqual([thumbnail.width, thumbnail.height], [320, 240], 'its coded size (irot turns it upright)');
    assert.ok(thumbnail.bytes.length < bytes.length / 10, `${thumbnail.bytes.length} bytes: the full image is not in it`);
    const decoded = await heicDecode({ buffer: thumbnail.bytes });
    assert.deepEqual([decoded.width, decoded.height], [240, 320], 'decoded upright, like the primary');
    assert.equal(heifThumbnail(bytes, 256, 256), null, 'too small for a 256 px short side: none');
    assert.equal(heifThumbnail(fs.readFileSync(heic.withoutThumbnail), 224, 256), null);
    assert.equal(heifThumbnail(fs.readFileSync(jpeg), 224, 256), null, 'not a HEIF file');
  });

  for (const decoder of ['native', 'wasm'] as const) {
    test(`both index upright with their full size and EXIF (${decoder} decoder)`, async (t) => {
      if (decoder === 'wasm') process.env.LIKENESS_HEIC_DECODER = 'wasm';
      else delete process.env.LIKENESS_HEIC_DECODER;
      if (decoder === 'native' && !(await nativeHeifAvailable())) return t.skip('heif-convert (libheif-examples) is not installed');
      const library = Library.open({ dbPath: path.join(root, decoder, 'library.db'), workers: 1 });
      try {
        const summary = await library.index([photos]);
        assert.equal(summary.indexed, 2);
        for (const file of [heic.withThumbnail, heic.withoutThumbnail]) {
          const name = path.basename(file);
          const row = library.files.byPath(file)!;
          assert.equal(row.status, 'indexed', `${name}: ${row.error}`);
          assert.equal(row.format, 'heic');
          assert.deepEqual([row.width, row.height], [3024, 4032], `${name}: the full upright size, not the thumbnail's`);
          assert.equal(row.camera, 'Apple iPhone 12', name);
          assert.ok(row.taken_at?.startsWith('2023-05-06'), `${name}: taken_at ${row.taken_at}`);
          const thumb = await sharp(row.thumbnail!).metadata();
          assert.deepEqual([thumb.width, thumb.height], [192, 256], `${name}: an upright 256 px thumbnail`);
          // The same picture as the upright JPEG, not the sideways sensor pixels.
          const near = hamming(row.dhash!, upright.dhash);
          assert.ok(near <= 6, `${name}: dHash ${near} bits from the upright JPEG`);
          assert.ok(hamming(row.dhash!, sideways.dhash) > near + 10, `${name}: far from the sideways pixels`);
          assert.ok(hamming(row.phash!, upright.phash) <= 8, `${name}: pHash near the upright JPEG`);

          // Opened in the app: the full image is decoded, not the thumbnail.
          const full = await (await openForDisplay(file)).metadata();
          assert.deepEqual([full.width, full.height], [3024, 4032], `${name}: the full-size view decodes the whole image`);
          const port = { photo: (id: number) => library.photo(id), roots: () => library.roots() } as unknown as CoreLibrary;
          const large = await resolveMedia(port, library.thumbnailDir, 'large', row.id);
          assert.equal(large?.contentType, 'image/webp');
          const largeMeta = await sharp(large!.path).metadata();
          assert.deepEqual([largeMeta.width, largeMeta.height], [512, 683], `${name}: /media/large is made from the full image`);
        }
      } finally {
        await library.close();
      }
    });
  }
});
