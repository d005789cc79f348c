import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeBuffer } from '../../main/core/imaging/decode.js';
import { hammingDistance } from '../../main/core/imaging/hashes.js';
import { ferrariPhotos } from '../helpers/datasets.js';
import fs from 'node:fs';

const options = { cnnSize: 224, thumbnail: false };

test('perceptual hashes: edited copies stay close, different photos are far apart', async () => {
  const [a, b, c] = ferrariPhotos().filter((_, i) => i % 25 === 0);
  const original = await decodeBuffer(fs.readFileSync(a), options);
  const resized = await decodeBuffer(await sharp(a).resize(300).jpeg({ quality: 30 }).toBuffer(), options);
  const brighter = await decodeBuffer(await sharp(a).modulate({ brightness: 1.15 }).toBuffer(), options);
  for (const copy of [resized, brighter]) {
    assert.ok(hammingDistance(original.dhash, copy.dhash) <= 10, `dHash ${hammingDistance(original.dhash, copy.dhash)}`);
    assert.ok(hammingDistance(original.phash, copy.phash) <= 10, `pHash ${hammingDistance(original.phash, copy.phash)}`);
  }
  for (const other of [b, c]) {
    const d = await decodeBuffer(fs.readFileSync(other), options);
    assert.ok(hammingDistance(original.dhash, d.dhash) > 14, `dHash to another photo ${hammingDistance(original.dhash, d.dhash)}`);
    assert.ok(hammingDistance(original.phash, d.phash) > 14, `pHash to another photo ${hammingDistance(original.phash, d.phash)}`);
  }
});

test('hamming distance counts differing bits', () => {
  assert.equal(hammingDistance('0000000000000000', 'ffffffffffffffff'), 64);
  assert.equal(hammingDistance('0123456789abcdef', '0123456789abcdef'), 0);
  assert.equal(hammingDistance('0000000000000001', '0000000000000003'), 1);
});

test('the same bytes give the same content hash; the CNN input is 224×224 RGB', async () => {
  const bytes = fs.readFileSync(ferrariPhotos(1)[0]);
  const one = await decodeBuffer(bytes, options);
  const two = await decodeBuffer(Buffer.from(bytes), options);
  assert.equal(one.contentHash, two.contentHash);
  assert.equal(one.cnnInput.length, 224 * 224 * 3);
});
