/** The working copy's size: a 256 px short side, except for strips and panoramas. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import fs from 'node:fs';
import { decodeBuffer, looksTruncated, workingBox } from '../../main/core/imaging/decode.js';
import { ferrariPhotos } from '../helpers/datasets.js';

test('photos keep a 256 px short side; beyond 4:1 the long side is capped at 1024 instead', () => {
  for (const [w, h] of [[1024, 681], [4032, 3024], [3024, 4032], [1024, 256], [100, 100]]) {
    assert.deepEqual(workingBox(w, h), { size: 256, fit: 'outside' }, `${w}×${h}`);
  }
  for (const [w, h] of [[20000, 300], [300, 20000], [1025, 256], [5000, 0]]) {
    assert.deepEqual(workingBox(w, h), { size: 1024, fit: 'inside' }, `${w}×${h}`);
  }
});

test('a 12000×150 strip decodes: CNN input, hashes and a thumbnail within 256 px', async () => {
  const strip = await sharp({ create: { width: 12000, height: 150, channels: 3, background: '#3a7' } })
    .composite([{ input: { create: { width: 3000, height: 150, channels: 3, background: '#c22' } }, left: 6000, top: 0 }])
    .png()
    .toBuffer();
  const decoded = await decodeBuffer(strip, { cnnSize: 224, thumbnail: true });
  assert.equal(decoded.width, 12000);
  assert.equal(decoded.cnnInput.length, 224 * 224 * 3);
  const thumbnail = await sharp(decoded.thumbnailWebp!).metadata();
  assert.equal(thumbnail.width, 256);
  assert.ok(thumbnail.height! >= 1 && thumbnail.height! <= 4);
});

test('a JPEG or PNG cut short is recognised by its missing end marker', async () => {
  const jpeg = fs.readFileSync(ferrariPhotos()[0]);
  const png = await sharp(jpeg).resize(64).png().toBuffer();
  assert.equal(looksTruncated(jpeg), false);
  assert.equal(looksTruncated(png), false);
  assert.equal(looksTruncated(Buffer.concat([png, Buffer.from('trailing bytes')])), false);
  for (const fraction of [0.3, 0.7, 0.999]) {
    assert.equal(looksTruncated(jpeg.subarray(0, Math.floor(jpeg.length * fraction))), true, `jpeg at ${fraction}`);
    assert.equal(looksTruncated(png.subarray(0, Math.floor(png.length * fraction))), true, `png at ${fraction}`);
  }
  const webp = await sharp(jpeg).resize(64).webp().toBuffer();
  assert.equal(looksTruncated(webp.subarray(0, webp.length >> 1)), false, 'other formats are not judged');
});

test('truncated photos failing side by side with corrupt ones each get their own reason', async () => {
  // libvips shares one error buffer per process, so concurrent failures used to swap messages.
  const jpeg = fs.readFileSync(ferrariPhotos()[0]); // carries a non-sRGB colour profile
  const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 3));
  const corrupt = Buffer.concat([jpeg.subarray(0, 4), Buffer.alloc(64, 0xaa)]);
  const inputs = Array.from({ length: 16 }, (_, i) => (i % 2 ? corrupt : truncated));
  const outcomes = await Promise.allSettled(inputs.map((bytes) => decodeBuffer(bytes, { cnnSize: 224, thumbnail: true })));
  outcomes.forEach((outcome, i) => {
    assert.equal(outcome.status, 'rejected');
    const message = (outcome as PromiseRejectedResult).reason.message as string;
    if (i % 2) assert.match(message, /not a readable image|truncated|damaged|could not decode/);
    else assert.match(message, /^truncated or damaged image/);
  });
});
