/**
 * Embedded colour profiles: sRGB ones are recognised (and not converted, which changes nothing
 * but costs time), every other profile is still converted to sRGB, only after the shrink.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import sharp from 'sharp';
import { decodeBuffer } from '../../main/core/imaging/decode.js';
import { iccDescription, isSrgbProfile } from '../../main/core/imaging/icc.js';
import { ferrariPhotos } from '../helpers/datasets.js';

const photo = ferrariPhotos()[40];
const options = { cnnSize: 224, thumbnail: false };

async function profileOf(image: Buffer): Promise<Buffer> {
  const { icc } = await sharp(image).metadata();
  assert.ok(icc, 'the test image carries a profile');
  return icc;
}

function meanAbsDifference(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

test('profiles are read by their description: v2 text (real camera sRGB) and v4 Unicode (P3, CMYK)', async () => {
  const profiled: Buffer[] = [];
  for (const file of ferrariPhotos()) {
    const { icc } = await sharp(file).metadata();
    if (icc) profiled.push(icc);
  }
  const descriptions = new Set(profiled.map((icc) => iccDescription(icc)));
  assert.ok(descriptions.has('sRGB IEC61966-2.1'), [...descriptions].join(', '));
  assert.ok(descriptions.has('Generic RGB Profile'), 'ferrari-100 also has a non-sRGB profile');
  for (const icc of profiled) assert.equal(isSrgbProfile(icc), iccDescription(icc) === 'sRGB IEC61966-2.1');

  const p3 = await profileOf(await sharp(photo).withIccProfile('p3').jpeg().toBuffer());
  const cmyk = await profileOf(await sharp(photo).toColourspace('cmyk').withIccProfile('cmyk').jpeg().toBuffer());
  const srgb = await profileOf(await sharp(photo).withIccProfile('srgb').jpeg().toBuffer());
  assert.equal(iccDescription(p3), 'sP3C');
  assert.equal(isSrgbProfile(p3), false);
  assert.equal(isSrgbProfile(cmyk), false);
  assert.equal(isSrgbProfile(srgb), true);
});

test('a malformed or truncated profile is "unknown", never an error', () => {
  for (const bad of [Buffer.alloc(0), Buffer.alloc(200), Buffer.from('not a profile at all'.repeat(10))]) {
    assert.equal(iccDescription(bad), null);
    assert.equal(isSrgbProfile(bad), false);
  }
});

/** The photo with its profile converted to sRGB by libvips at full size (the slow path), as PNG. */
async function convertedFirst(bytes: Buffer): Promise<Buffer> {
  return sharp(bytes).toColourspace('srgb').png().toBuffer();
}

test('sRGB, Display P3 and CMYK photos decode to what converting their profile first gives', async () => {
  let srgbProfiled: Buffer | undefined;
  for (const candidate of ferrariPhotos()) {
    const bytes = fs.readFileSync(candidate);
    if (isSrgbProfile((await sharp(bytes).metadata()).icc)) {
      srgbProfiled = bytes;
      break;
    }
  }
  assert.ok(srgbProfiled, 'ferrari-100 has sRGB-profiled photos');
  const p3 = await sharp(photo).withIccProfile('p3').jpeg({ quality: 95 }).toBuffer();
  const cmyk = await sharp(photo).toColourspace('cmyk').withIccProfile('cmyk').jpeg({ quality: 95 }).toBuffer();
  for (const [name, bytes] of [['srgb', srgbProfiled], ['p3', p3], ['cmyk', cmyk]] as const) {
    const ours = await decodeBuffer(bytes, options);
    const reference = await decodeBuffer(await convertedFirst(bytes), options);
    const difference = meanAbsDifference(ours.cnnInput, reference.cnnInput);
    // Converting after the shrink instead of before moves a fraction of a level (measured: 0, 0.25, 0).
    assert.ok(difference < 1, `${name}: mean difference ${difference.toFixed(2)} from converting first`);
  }
  // And the conversion matters: P3 numbers read as if they were sRGB are further off (measured 3.2).
  const { data, info } = await sharp(p3).keepIccProfile().raw().toBuffer({ resolveWithObject: true });
  const unconverted = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).png().toBuffer();
  const reference = await decodeBuffer(await convertedFirst(p3), options);
  const difference = meanAbsDifference((await decodeBuffer(unconverted, options)).cnnInput, reference.cnnInput);
  assert.ok(difference > 2, `unconverted P3 is ${difference.toFixed(2)} off`);
});

test('a converted profile keeps the EXIF orientation applied (the shrunk copy is upright)', async () => {
  const upright = await sharp(photo).rotate(90).withIccProfile('p3').jpeg({ quality: 95 }).toBuffer();
  // The same pixels stored sideways with "rotate 90° clockwise to display" (orientation 6).
  const sideways = await sharp(photo).withIccProfile('p3').withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
  assert.equal((await sharp(sideways).metadata()).orientation, 6);
  const a = await decodeBuffer(upright, options);
  const b = await decodeBuffer(sideways, options);
  assert.equal(b.width, a.width);
  assert.equal(b.height, a.height);
  const difference = meanAbsDifference(a.cnnInput, b.cnnInput);
  assert.ok(difference < 2, `upright vs EXIF-rotated: ${difference.toFixed(2)}`);
});
