/**
 * Decode once, feed everyone: one decode of a photo (EXIF orientation applied, shrunk on load)
 * produces the thumbnail, the perceptual hashes and the CNN input, plus identity and EXIF facts.
 * The user's file is only ever read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';

import sharp from 'sharp';
import type { Metadata, Sharp } from 'sharp';
import exifr from 'exifr';
import { MAX_FULL_DECODE_PIXELS, MAX_INPUT_PIXELS } from './formats.js';
import { PixelBudget } from './pixel-budget.js';
import { decodeHeifNative, nativeHeifAvailable } from './heif-native.js';
import { heifExif, heifThumbnail } from './heif-container.js';
import { dHashFromGrey9x8, pHashFromGrey32 } from './hashes.js';
import { isSrgbProfile } from './icc.js';
import { viewHashes } from './view-hashes.js';

const require = createRequire(import.meta.url);

/**
 * Short side of the one decoded working copy every consumer is derived from: the smallest copy
 * that both the 224² CNN input and the 256 px thumbnail are still downscaled from. JPEGs shrink
 * on load (1/2, 1/4, 1/8 DCT scaling) to just above it, so a 12-megapixel photo decodes at 1/8.
 */
const WORKING_SHORT_SIDE = 256;
/**
 * Names how the CNN input is made from a file. Vectors made by another recipe differ a little
 * (cosine ~0.99 against the earlier 512 px Lanczos copy), so the recipe is part of the vectors'
 * model id: a library made with another one is re-embedded, never mixed.
 */
export const CNN_INPUT_RECIPE = 'short256-mitchell';
/** Beyond this aspect ratio (panoramas, strips) the long side is capped instead, at 4 × 256. */
const MAX_WORKING_ASPECT = 4;
export const THUMBNAIL_SIZE = 256;
/** Whole-image decodes in flight in this thread share one budget (a worker decodes a batch at once). */
const fullDecodes = new PixelBudget(MAX_FULL_DECODE_PIXELS);

export interface PhotoFacts {
  contentHash: string;
  format: string;
  width: number;
  height: number;
  takenAt: string | null;
  camera: string | null;
  lens: string | null;
  gpsLat: number | null;
  gpsLon: number | null;
  // Exposure facts (optional: absent means not read, as null means the photo does not say).
  /** Shutter time in seconds (EXIF ExposureTime). */
  exposureTime?: number | null;
  /** Aperture as an f-number (EXIF FNumber). */
  fNumber?: number | null;
  iso?: number | null;
  /** Focal length in mm, as the lens reports it (EXIF FocalLength). */
  focalLength?: number | null;
  dhash: string;
  phash: string;
  /** dHash + pHash of the eight poses (view-hashes.ts); absent from facts made before them. */
  viewHashes?: string;
}

export interface DecodedPhoto extends PhotoFacts {
  /** cnnSize×cnnSize RGB, 8-bit, HWC. */
  cnnInput: Uint8Array;
  thumbnailWebp?: Buffer;
}

/** A failure we can explain to the user; anything else is reported by its own message. */
export class ImageError extends Error {}

export interface DecodeOptions {
  cnnSize: number;
  thumbnail: boolean;
}

export async function decodeFile(file: string, options: DecodeOptions): Promise<DecodedPhoto> {
  let bytes: Buffer;
  try {
    // Opening a FIFO blocks until something writes to it (for ever, and a libuv thread with it).
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new ImageError(stat.isDirectory() ? 'is a folder, not a file' : 'not a regular file (a named pipe, socket or device): not read');
    bytes = await fs.readFile(file);
  } catch (error) {
    throw error instanceof ImageError ? error : new ImageError(describeIoError(error));
  }
  return decodeBuffer(bytes, options);
}

export async function decodeBuffer(bytes: Buffer, options: DecodeOptions): Promise<DecodedPhoto> {
  if (bytes.length === 0) throw new ImageError('empty file (0 bytes)');
  const contentHash = crypto.createHash('sha1').update(bytes).digest('hex');

  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ImageError(describeDecodeError(error, bytes));
  }
  const pixels = (metadata.width ?? 0) * (metadata.height ?? 0);
  if (isHevc(metadata) && pixels > MAX_FULL_DECODE_PIXELS) {
    throw new ImageError(
      `HEIC image too large to decode: ${metadata.width}×${metadata.height} is over the ${MAX_FULL_DECODE_PIXELS / 1e6}-megapixel limit for HEIC photos ` +
        `(decoding it would take about ${Math.round((pixels * 12) / 1e9)} GB of memory)`,
    );
  }
  if (pixels > MAX_INPUT_PIXELS) {
    throw new ImageError(
      `image too large: ${metadata.width}×${metadata.height} is over the ${MAX_INPUT_PIXELS / 1e6}-megapixel limit`,
    );
  }

  const working = await decodeWorkingCopy(bytes, metadata, options.cnnSize);
  const raw = { width: working.width, height: working.height, channels: 3 as const };
  const derive = () => sharp(working.data, { raw });

  const [cnnBuffer, thumbnailWebp, exif] = await Promise.all([
    derive().resize(options.cnnSize, options.cnnSize, { fit: 'fill' }).raw().toBuffer(),
    options.thumbnail
      ? derive()
          .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
          .webp({ quality: 80, effort: 2 }) // effort 2: half the encode time of the default 4, same look
          .toBuffer()
      : Promise.resolve(undefined),
    readExif(metadata.format === 'heif' ? (heifExif(bytes) ?? bytes) : bytes),
  ]);
  const cnnInput = new Uint8Array(cnnBuffer.buffer, cnnBuffer.byteOffset, cnnBuffer.length);
  // The hashes' tiny greyscale images come from the CNN input by area averaging (no more decodes).
  const grey = toGrey(cnnInput);
  const size = options.cnnSize;
  const grey32 = areaAverage(grey, size, 32, 32);

  const rotated = (metadata.orientation ?? 1) >= 5;
  return {
    contentHash,
    format: working.format,
    width: (rotated ? metadata.height : metadata.width) ?? working.width,
    height: (rotated ? metadata.width : metadata.height) ?? working.height,
    ...exif,
    dhash: dHashFromGrey9x8(areaAverage(grey, size, 9, 8)),
    phash: pHashFromGrey32(grey32),
    viewHashes: viewHashes(grey, size, grey32),
    cnnInput,
    thumbnailWebp,
  };
}

/** Rec. 601 luma of a packed RGB image. */
function toGrey(rgb: Uint8Array): Float32Array {
  const grey = new Float32Array(rgb.length / 3);
  for (let i = 0, j = 0; i < grey.length; i++, j += 3) grey[i] = 0.299 * rgb[j] + 0.587 * rgb[j + 1] + 0.114 * rgb[j + 2];
  return grey;
}

/** Shrinks a size×size greyscale image to width×height by averaging each output pixel's area. */
export function areaAverage(grey: Float32Array, size: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * size) / height);
    const y1 = Math.floor(((y + 1) * size) / height);
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * size) / width);
      const x1 = Math.floor(((x + 1) * size) / width);
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += grey[yy * size + xx];
      out[y * width + x] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  return out;
}

interface WorkingCopy {
  data: Buffer;
  width: number;
  height: number;
  format: string;
}

/**
 * The single full decode: oriented, flattened onto white, shrunk to WORKING_SHORT_SIDE on load,
 * in sRGB. libvips would convert an embedded ICC profile to sRGB at the decoded size, before the
 * shrink, at ~20 ms a photo (lcms sets the transform up each time); so an sRGB profile is not
 * converted at all, and any other one (Display P3, Adobe RGB, CMYK) only after the shrink.
 */
async function decodeWorkingCopy(bytes: Buffer, metadata: Metadata, cnnSize: number): Promise<WorkingCopy> {
  const hevc = isHevc(metadata);
  const box = workingBox(metadata.width ?? 0, metadata.height ?? 0);
  // A decoded HEIC is already oriented by its own transforms (libheif applies them; its EXIF
  // orientation is not the one to follow), so only other formats are turned by their EXIF.
  const shrink = (image: Sharp) =>
    (hevc ? image : image.rotate())
      // Mitchell, not the default Lanczos-3: after shrink-on-load the rest is a gentle downscale,
      // where it looks the same and costs ~4 ms less per 1024 px photo (measured).
      .resize(box.size, box.size, { fit: box.fit, withoutEnlargement: true, kernel: 'mitchell' });
  const toSrgb = (image: Sharp) =>
    image.flatten({ background: '#ffffff' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  try {
    let result;
    if (hevc) {
      // The embedded thumbnail when it is large enough for the working copy (the CNN input
      // and the thumbnail are both made from it): 77 K pixels to decode instead of 12 M.
      // LIKENESS_HEIC_THUMBNAIL=off decodes the full image as before (the benchmark's baseline).
      const thumbnail = process.env.LIKENESS_HEIC_THUMBNAIL === 'off' ? null : heifThumbnail(bytes, cnnSize, THUMBNAIL_SIZE);
      // A header without dimensions counts as the largest allowed.
      const pixels = thumbnail ? thumbnail.width * thumbnail.height : (metadata.width ?? 0) * (metadata.height ?? 0) || MAX_FULL_DECODE_PIXELS;
      // A thumbnail decodes in-process: starting heif-convert costs more than its decode
      // (94 vs 122 ms a photo measured, loaded 2 cores); the whole image goes to the native tool.
      const decode = thumbnail ? decodeHevcWasm(thumbnail.bytes) : decodeHevc(bytes, metadata.hasAlpha === true);
      result = await fullDecodes.run(pixels, async () => toSrgb(shrink(await decode)));
    } else {
      const input = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
      if (!metadata.icc) {
        result = await toSrgb(shrink(input));
      } else if (isSrgbProfile(metadata.icc)) {
        result = await toSrgb(shrink(input.keepIccProfile())); // already sRGB: nothing to convert
      } else {
        // Shrink with the profile kept (an uncompressed TIFF carries pixels and profile), then
        // convert the small copy.
        const small = await shrink(input.keepIccProfile()).tiff({ compression: 'none' }).toBuffer();
        result = await toSrgb(sharp(small));
      }
    }
    const { data, info } = result;
    return { data, width: info.width, height: info.height, format: hevc ? 'heic' : String(metadata.format) };
  } catch (error) {
    throw new ImageError(describeDecodeError(error, bytes));
  }
}

/**
 * The whole image, upright, for showing it large (the app's full-size view): a HEIC's full
 * primary image is decoded here, only when the user opens it (indexing reads its thumbnail).
 * Other formats are left to sharp, which decodes them lazily and shrinks on load.
 */
export async function openForDisplay(file: string): Promise<Sharp> {
  const metadata = await sharp(file, { limitInputPixels: false }).metadata();
  if (!isHevc(metadata)) return sharp(file, { failOn: 'none' }).rotate();
  const pixels = (metadata.width ?? 0) * (metadata.height ?? 0) || MAX_FULL_DECODE_PIXELS;
  if (pixels > MAX_FULL_DECODE_PIXELS) throw new ImageError(`HEIC image too large to decode: ${metadata.width}×${metadata.height}`);
  const bytes = await fs.readFile(file);
  // Decoded to raw pixels inside the budget (sharp is lazy): the budget covers the decode itself.
  const { data, info } = await fullDecodes.run(pixels, async () =>
    (await decodeHevc(bytes, metadata.hasAlpha === true)).raw().toBuffer({ resolveWithObject: true }),
  );
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
}

/**
 * Whether a JPEG or PNG that failed to decode was cut short: its end marker is missing. Said from
 * the bytes because libvips's message cannot be trusted when several decodes fail at once: its
 * error buffer is shared by the process, and one photo's message can land on another's failure.
 */
export function looksTruncated(bytes: Buffer): boolean {
  const format = sniffFormat(bytes);
  if (format === 'PNG') return bytes.lastIndexOf('IEND', bytes.length - 8, 'latin1') < 0;
  if (format !== 'JPEG') return false;
  // The main image's last scan (an EXIF thumbnail's markers come earlier) must be followed by EOI.
  const lastScan = bytes.lastIndexOf(Buffer.from([0xff, 0xda]));
  return lastScan < 0 || bytes.indexOf(Buffer.from([0xff, 0xd9]), lastScan) < 0;
}

/** JPEG and PNG by their signatures (a file that fails to decode may have no metadata). */
function sniffFormat(bytes: Buffer): 'JPEG' | 'PNG' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'JPEG';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'PNG';
  return null;
}

/**
 * The box the working copy is shrunk into: short side WORKING_SHORT_SIDE, except that a very
 * elongated image gets its long side capped (a 100000×300 strip would otherwise stay 85000 px long).
 */
export function workingBox(width: number, height: number): { size: number; fit: 'outside' | 'inside' } {
  const long = Math.max(width, height);
  const short = Math.max(1, Math.min(width, height));
  return long / short > MAX_WORKING_ASPECT
    ? { size: WORKING_SHORT_SIDE * MAX_WORKING_ASPECT, fit: 'inside' }
    : { size: WORKING_SHORT_SIDE, fit: 'outside' };
}

function isHevc(metadata: Metadata): boolean {
  return metadata.format === 'heif' && metadata.compression === 'hevc';
}

/**
 * sharp's prebuilt libvips reads HEIC metadata but has no HEVC decoder: the system's libheif
 * decodes when it is installed (heif-native.ts), else libheif in WebAssembly (heic-decode).
 */
async function decodeHevc(bytes: Buffer, hasAlpha: boolean): Promise<Sharp> {
  // heif-convert's JPEG has no alpha (it would flatten onto black, not white as we do).
  if (!hasAlpha && (await nativeHeifAvailable())) {
    const jpeg = await decodeHeifNative(bytes);
    if (jpeg) return sharp(jpeg, { failOn: 'error' });
  }
  return decodeHevcWasm(bytes);
}

async function decodeHevcWasm(bytes: Buffer): Promise<Sharp> {
  const decode = require('heic-decode') as (input: { buffer: Uint8Array }) => Promise<{
    width: number;
    height: number;
    data: Uint8ClampedArray;
  }>;
  const image = await decode({ buffer: bytes });
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  });
}

type ExifFacts = Pick<PhotoFacts, 'takenAt' | 'camera' | 'lens' | 'gpsLat' | 'gpsLon' | 'exposureTime' | 'fNumber' | 'iso' | 'focalLength'>;
export type ExposureFacts = Required<Pick<PhotoFacts, 'exposureTime' | 'fNumber' | 'iso' | 'focalLength'>>;

const NO_EXPOSURE: ExposureFacts = { exposureTime: null, fNumber: null, iso: null, focalLength: null };

/** A positive finite number, or null (EXIF writers put 0 for "unknown"). */
const positive = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);

function exposureOf(tags: Record<string, unknown>): ExposureFacts {
  const iso = Array.isArray(tags.ISO) ? tags.ISO[0] : tags.ISO; // some cameras write a list
  return { exposureTime: positive(tags.ExposureTime), fNumber: positive(tags.FNumber), iso: positive(iso), focalLength: positive(tags.FocalLength) };
}

const EXPOSURE_TAGS = ['ExposureTime', 'FNumber', 'ISO', 'FocalLength'];

async function readExif(bytes: Buffer): Promise<ExifFacts> {
  const none = { takenAt: null, camera: null, lens: null, gpsLat: null, gpsLon: null, ...NO_EXPOSURE };
  try {
    const tags = await exifr.parse(bytes, {
      pick: ['DateTimeOriginal', 'CreateDate', 'Make', 'Model', 'LensModel', 'GPSLatitude', 'GPSLongitude', 'GPSLatitudeRef', 'GPSLongitudeRef', ...EXPOSURE_TAGS],
      gps: true,
    });
    if (!tags) return none;
    const date: unknown = tags.DateTimeOriginal ?? tags.CreateDate;
    const make = typeof tags.Make === 'string' ? tags.Make.trim() : '';
    const model = typeof tags.Model === 'string' ? tags.Model.trim() : '';
    const camera = model.toLowerCase().startsWith(make.toLowerCase()) ? model : `${make} ${model}`.trim();
    return {
      takenAt: date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : null,
      camera: camera || null,
      lens: typeof tags.LensModel === 'string' ? tags.LensModel.trim() || null : null,
      gpsLat: typeof tags.latitude === 'number' && Number.isFinite(tags.latitude) ? tags.latitude : null,
      gpsLon: typeof tags.longitude === 'number' && Number.isFinite(tags.longitude) ? tags.longitude : null,
      ...exposureOf(tags),
    };
  } catch {
    return none; // broken EXIF must not fail an otherwise good photo
  }
}

/**
 * The exposure facts alone, from a photo's file (exifr reads only the head of the file, where
 * the EXIF is): how photos indexed before these facts were kept get them, without decoding.
 */
export async function readExposureFacts(file: string): Promise<ExposureFacts> {
  try {
    const tags = await exifr.parse(file, { pick: EXPOSURE_TAGS });
    return tags ? exposureOf(tags) : NO_EXPOSURE;
  } catch {
    return NO_EXPOSURE;
  }
}

function describeDecodeError(error: unknown, bytes: Buffer): string {
  if (looksTruncated(bytes)) return `truncated or damaged image (the ${sniffFormat(bytes)} data ends early)`;
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format|bad seek|Input buffer contains unsupported/i.test(message)) {
    return 'not a readable image (unrecognised or corrupt content)';
  }
  if (/pixel limit|exceeds pixel/i.test(message)) return `image too large (over the ${MAX_INPUT_PIXELS / 1e6}-megapixel limit)`;
  if (/premature end|truncated|unexpected end|end of (file|stream)|short read/i.test(message)) {
    return `truncated or damaged image (${firstLine(message)})`;
  }
  return `could not decode image: ${firstLine(message)}`;
}

function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied: the file cannot be read';
  if (code === 'ENOENT') return 'file vanished before it could be read';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return `could not read file: ${firstLine(error instanceof Error ? error.message : String(error))}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

