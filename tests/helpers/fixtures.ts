/**
 * Generated test images: every supported format made from real photos, EXIF-rotated and tagged
 * copies, and the bad inputs a real library contains. Written to temp folders only.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import type { Sharp } from 'sharp';

/** Writes `photo` in each supported format into `dir`; returns the paths by format. */
export async function writeFormats(photo: string, dir: string, size = 320): Promise<Record<string, string>> {
  fs.mkdirSync(dir, { recursive: true });
  const base = sharp(photo).resize(size, size, { fit: 'inside' });
  const out: Record<string, string> = {};
  const write = async (name: string, pipeline: Sharp) => {
    const file = path.join(dir, name);
    await pipeline.toFile(file);
    return file;
  };
  out.jpeg = await write('photo.jpg', base.clone().jpeg({ quality: 90 }));
  out.png = await write('photo.png', base.clone().png());
  out.webp = await write('photo.webp', base.clone().webp());
  out.gif = await write('photo.gif', base.clone().gif());
  out.tiff = await write('photo.tiff', base.clone().tiff());
  out.avif = await write('photo.avif', base.clone().avif({ quality: 60 }));
  if (hasHeifEnc()) {
    out.heic = path.join(dir, 'photo.heic');
    execFileSync('heif-enc', ['-q', '60', out.jpeg, '-o', out.heic], { stdio: 'ignore' });
  }
  return out;
}

export function hasHeifEnc(): boolean {
  try {
    execFileSync('heif-enc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A JPEG stored sideways with EXIF orientation 6 (display = rotate 90° clockwise), plus EXIF facts. */
export async function writeRotatedWithExif(photo: string, file: string): Promise<{ storedWidth: number; storedHeight: number }> {
  const { data, info } = await sharp(photo).resize(300, 200, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  await sharp(data, { raw: info })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'Fujifilm', Model: 'X-T5' },
      IFD2: { DateTimeOriginal: '2023:07:14 18:30:05', LensModel: 'XF 23mm F1.4' },
    })
    .toFile(file);
  return { storedWidth: 300, storedHeight: 200 };
}

/** The bad inputs every real photo folder eventually contains. Returns path → expected reason pattern. */
export function writeBadInputs(dir: string, goodJpeg: string): Map<string, RegExp> {
  fs.mkdirSync(dir, { recursive: true });
  const bad = new Map<string, RegExp>();
  const put = (name: string, bytes: Buffer | string, reason: RegExp) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    bad.set(file, reason);
  };
  put('empty.jpg', Buffer.alloc(0), /empty file/);
  const jpeg = fs.readFileSync(goodJpeg);
  put('truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 3)), /truncated|damaged|decode/);
  // A JPEG start marker followed by garbage.
  put('corrupt.jpg', Buffer.concat([jpeg.subarray(0, 4), Buffer.alloc(64, 0xaa)]), /not a readable image|truncated|damaged|decode/);
  put('notes.png', 'These are my holiday notes, not a picture.\n', /not a readable image/);
  put('bomb.png', pngHeaderOnly(100_000, 100_000), /too large/);
  return bad;
}

/** A PNG whose header claims width×height pixels (with one tiny IDAT): a decompression bomb. */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** sha1 of every file under `dir`, to prove the user's files were not touched. */
export function fingerprint(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.set(full, sha1(fs.readFileSync(full)) + ':' + fs.statSync(full).mtimeMs);
    }
  };
  walk(dir);
  return out;
}

function sha1(bytes: Buffer): string {
  return crypto.createHash('sha1').update(bytes).digest('hex');
}
