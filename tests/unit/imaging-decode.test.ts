/** The working copy's size: a 256 px short side, except for strips and panoramas. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeBuffer, workingBox } from '../../main/core/imaging/decode.js';

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
