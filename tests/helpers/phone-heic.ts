/**
 * Phone-style HEIC made from a real photo: 4032×3024 sensor pixels, EXIF from the camera, turned
 * upright by an `irot` property (as iPhones store portrait shots), optionally with the 320×240
 * thumbnail phones embed. heif-enc (libheif-examples) encodes; it writes no irot itself (libheif
 * 1.15 keeps EXIF orientation only in the EXIF), so the property is added to the container here.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

export const PHONE_WIDTH = 4032;
export const PHONE_HEIGHT = 3024;
export const PHONE_CAMERA = { Make: 'Apple', Model: 'iPhone 12' };
export const PHONE_TAKEN = '2023:05:06 07:08:09';

/**
 * The sensor-orientation JPEG the HEIC is encoded from (EXIF orientation 6: shown 90° clockwise,
 * so upright it is 3024×4032), with the camera's EXIF.
 */
export async function writePhoneJpeg(photo: string, file: string): Promise<void> {
  await sharp(photo)
    .resize(PHONE_WIDTH, PHONE_HEIGHT, { fit: 'fill' })
    .withMetadata({ orientation: 6 })
    .withExifMerge({ IFD0: PHONE_CAMERA, IFD2: { DateTimeOriginal: PHONE_TAKEN } })
    .jpeg({ quality: 90 })
    .toFile(file);
}

/** Writes a phone-style HEIC of `jpeg` (from writePhoneJpeg) to `file`; heif-enc must be installed. */
export function writePhoneHeic(jpeg: string, file: string, options: { thumbnail: boolean }): void {
  const raw = `${file}.heif-enc.heic`;
  const thumb = options.thumbnail ? ['-t', '320'] : [];
  execFileSync('heif-enc', ['-q', '50', '-p', 'preset=ultrafast', ...thumb, '-o', raw, jpeg], { stdio: 'ignore' });
  fs.writeFileSync(file, withRotation(fs.readFileSync(raw), 3));
  fs.rmSync(raw);
}

interface Box {
  type: string;
  start: number;
  body: number;
  end: number;
}

function children(file: Buffer, start: number, end: number): Box[] {
  const out: Box[] = [];
  for (let at = start; at + 8 <= end; ) {
    const size = file.readUInt32BE(at);
    out.push({ type: file.toString('latin1', at + 4, at + 8), start: at, body: at + 8, end: at + size });
    at += size;
  }
  return out;
}

function box(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/**
 * Adds an irot property (angle × 90° anticlockwise; 3 is what EXIF orientation 6 means) to every
 * image item, and moves the data offsets by the bytes added before them. Follows what heif-enc
 * writes (ipma version 0 with 1-byte indexes; iloc version 0 with 4-byte base offsets).
 */
function withRotation(file: Buffer, angle: number): Buffer {
  const top = children(file, 0, file.length);
  const meta = top.find((b) => b.type === 'meta')!;
  const inMeta = children(file, meta.body + 4, meta.end);
  const iprp = inMeta.find((b) => b.type === 'iprp')!;
  const [ipco, ipma] = ['ipco', 'ipma'].map((t) => children(file, iprp.body, iprp.end).find((b) => b.type === t)!);
  const irotIndex = children(file, ipco.body, ipco.end).length + 1;
  const newIpco = box('ipco', Buffer.concat([file.subarray(ipco.body, ipco.end), box('irot', Buffer.from([angle]))]));

  if (file[ipma.body] !== 0 || (file[ipma.body + 3] & 1) !== 0) throw new Error('ipma layout not the one heif-enc writes');
  const count = file.readUInt32BE(ipma.body + 4);
  const entries: Buffer[] = [file.subarray(ipma.body, ipma.body + 8)];
  let at = ipma.body + 8;
  for (let i = 0; i < count; i++) {
    const n = file[at + 2];
    entries.push(file.subarray(at, at + 2), Buffer.from([n + 1]), file.subarray(at + 3, at + 3 + n), Buffer.from([0x80 | irotIndex]));
    at += 3 + n;
  }
  const newIprp = box('iprp', Buffer.concat([newIpco, box('ipma', Buffer.concat(entries))]));
  const delta = newIprp.length - (iprp.end - iprp.start);

  const metaBody = inMeta.map((b) => {
    if (b === iprp) return newIprp;
    const copy = Buffer.from(file.subarray(b.start, b.end));
    if (b.type === 'iloc') shiftIloc(copy, delta);
    return copy;
  });
  const newMeta = box('meta', Buffer.concat([file.subarray(meta.body, meta.body + 4), ...metaBody]));
  return Buffer.concat(top.map((b) => (b === meta ? newMeta : file.subarray(b.start, b.end))));
}

function shiftIloc(iloc: Buffer, delta: number): void {
  if (iloc[8] !== 0 || iloc[12] !== 0x44 || iloc[13] >> 4 !== 4) throw new Error('iloc layout not the one heif-enc writes');
  const count = iloc.readUInt16BE(14);
  let at = 16;
  for (let i = 0; i < count; i++) {
    iloc.writeUInt32BE(iloc.readUInt32BE(at + 4) + delta, at + 4); // item id, data reference, base offset
    at += 10 + 8 * iloc.readUInt16BE(at + 8);
  }
}

/** Both variants of the same photo in `dir`: phone.heic (with thumbnail) and phone-nothumb.heic. */
export function phoneHeicPaths(dir: string): { withThumbnail: string; withoutThumbnail: string } {
  return { withThumbnail: path.join(dir, 'phone.heic'), withoutThumbnail: path.join(dir, 'phone-nothumb.heic') };
}
