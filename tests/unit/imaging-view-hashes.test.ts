import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { areaAverage, decodeBuffer } from '../../main/core/imaging/decode.js';
import { pHashFromGrey32 } from '../../main/core/imaging/hashes.js';
import { inPose, inversePose, poseName, viewHashes } from '../../main/core/imaging/view-hashes.js';
import { PoseTable } from '../../main/core/duplicates/views.js';
import { ferrariPhotos } from '../helpers/datasets.js';
import { mirrored, rotated } from '../helpers/everyday-edits.js';

const options = { cnnSize: 224, thumbnail: false };

test('pose hashes: each pose is the hash of the photo turned that way (pHash exactly, dHash within grid rounding)', async () => {
  const d = await decodeBuffer(fs.readFileSync(ferrariPhotos()[3]), options);
  const grey = Float32Array.from(d.cnnInput.filter((_, i) => i % 3 === 1)); // any square greyscale will do
  const hashes = viewHashes(grey, 224);
  assert.equal(hashes.length, 8 * 32);
  for (let v = 0; v < 8; v++) {
    const direct = pHashFromGrey32(areaAverage(inPose(grey, 224, v), 224, 32, 32));
    assert.equal(hashes.slice(32 * v + 16, 32 * v + 32), direct, `pose ${v}`);
  }
  assert.equal(d.viewHashes?.slice(0, 16), d.dhash, 'pose 0 is the upright dHash');
  assert.equal(d.viewHashes?.slice(16, 32), d.phash, 'pose 0 is the upright pHash');
});

test('a turned or mirrored copy matches its photo in the right pose, another photo in none', async () => {
  const [photo, other] = [ferrariPhotos()[10], ferrariPhotos()[11]];
  const decode = async (bytes: Buffer) => (await decodeBuffer(bytes, options)).viewHashes!;
  const copies = [await rotated(photo, 90), await rotated(photo, 180), await rotated(photo, 270), await mirrored(photo)];
  const table = new PoseTable([await decode(fs.readFileSync(photo)), await decode(fs.readFileSync(other)), ...(await Promise.all(copies.map(decode)))]);
  // The copy is the photo turned by r; the photo is the copy turned back (its pose inverts r).
  const expected = [3, 2, 1, 4];
  expected.forEach((pose, k) => {
    const match = table.bestPose(0, k + 2);
    assert.equal(match.pose, pose, `copy ${k}: ${JSON.stringify(match)}`);
    assert.ok(match.distance <= 12, `copy ${k}: ${match.distance} bits`);
    assert.ok(table.distance(0, k + 2, 0) > 30, 'upright the hashes are far apart');
  });
  assert.ok(table.bestPose(0, 1).distance > 36, 'another photo matches in no pose');
  assert.equal(poseName(inversePose(3)), 'rotated 90°');
  assert.equal(poseName(4), 'mirrored');
});
