/**
 * Exposure facts (shutter time, aperture, ISO, focal length) read from a real photo's EXIF at
 * index time, through the core (`Library.photo`) and the API's photo call; photos indexed before
 * the facts were kept get them on the next pass without being embedded again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { ferrariPhotos, tempDir } from '../helpers/datasets.js';
import { Library } from '../../main/core/library.js';
import { createApi } from '../../main/api/handlers.js';

const root = tempDir('likeness-exposure-');
const photos = path.join(root, 'photos');
const db = path.join(root, 'lib.db');
const withFacts = path.join(photos, 'shot.jpg');
const without = path.join(photos, 'plain.jpg');

/** Writes a ferrari-100 photo with the EXIF a camera would write (1/250 s, f/2.8, ISO 200, 35 mm). */
export async function writeExposedPhoto(source: string, target: string): Promise<void> {
  await sharp(source)
    .withExif({
      IFD0: { Make: 'Canon', Model: 'Canon EOS 5D' },
      IFD2: { ExposureTime: '1/250', FNumber: '28/10', ISOSpeedRatings: '200', FocalLength: '35/1' },
    })
    .jpeg({ quality: 90 })
    .toFile(target);
}

describe('exposure facts', () => {
  let library: Library;
  const expected = { exposureTime: 0.004, fNumber: 2.8, iso: 200, focalLength: 35 };
  const none = { exposureTime: null, fNumber: null, iso: null, focalLength: null };
  const factsOf = (file: string) => {
    const p = library.listPhotos({}).photos.find((x) => x.path === file)!;
    const d = library.photo(p.id)!;
    return { id: p.id, facts: { exposureTime: d.exposureTime, fNumber: d.fNumber, iso: d.iso, focalLength: d.focalLength } };
  };

  before(async () => {
    const [a, b] = ferrariPhotos(2);
    const fs = await import('node:fs');
    fs.mkdirSync(photos, { recursive: true });
    await writeExposedPhoto(a, withFacts);
    fs.copyFileSync(b, without); // ferrari-100 photos carry no EXIF
    library = Library.open({ dbPath: db });
    const summary = await library.index([photos]);
    assert.equal(summary.indexed, 2);
  });
  after(async () => library?.close());

  test('read at index time, given by Library.photo and the API photo call', async () => {
    const shot = factsOf(withFacts);
    assert.deepEqual(shot.facts, expected);
    assert.deepEqual(factsOf(without).facts, none, 'a photo that does not say has none');
    const api = createApi({ library, dbPath: db, thumbnailDir: path.join(root, 'thumbs'), host: { mode: 'web' }, legacySettingsFile: null });
    const info = await api.handlers.photo({ id: shot.id });
    assert.deepEqual({ exposureTime: info?.exposureTime, fNumber: info?.fNumber, iso: info?.iso, focalLength: info?.focalLength }, expected);
  });

  test('a library indexed before the facts were kept gets them on the next pass, without embedding again', async () => {
    await library.close();
    // As migration 0010 leaves an older library: the columns empty, the facts never looked for.
    const raw = new Database(db);
    raw.exec('UPDATE files SET exposure_time = NULL, f_number = NULL, iso = NULL, focal_length = NULL, exposure_read = 0');
    raw.close();
    library = Library.open({ dbPath: db });
    assert.deepEqual(factsOf(withFacts).facts, none);
    const summary = await library.index([photos]);
    assert.equal(summary.indexed, 0, 'nothing embedded again');
    assert.deepEqual(factsOf(withFacts).facts, expected);
    assert.deepEqual(factsOf(without).facts, none);
  });
});
