/**
 * HEVC HEIC decoding for the working copy. sharp's prebuilt libvips reads HEIC headers but has no
 * HEVC decoder, so:
 *
 *   1. the embedded thumbnail phones write (iPhone: 320×240) is decoded instead of the photo when
 *      it is large enough for every consumer (heif-boxes.ts), in WebAssembly: ~35 ms of CPU,
 *      against ~0.7 s (native) or 2–4 s (WebAssembly) for a 12-megapixel primary image;
 *   2. otherwise the primary image is decoded by libheif's own command-line decoder (`heif-dec`,
 *      called `heif-convert` before libheif 1.16) when one is installed, run as a child process,
 *      and by the WebAssembly libheif (heic-decode) when not, or when the native one fails.
 *
 * Whole-image decodes share a pixel budget (the child's memory counts as ours: it is the same machine).
 * LIKENESS_HEIF_DECODER=wasm turns the native decoder off; a path names a specific binary.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { MAX_FULL_DECODE_PIXELS } from './formats.js';
import { withThumbnailAsPrimary } from './heif-boxes.js';
import { PixelBudget } from './pixel-budget.js';

const require = createRequire(import.meta.url);
const run = promisify(execFile);

/** Whole-image decodes in flight in this thread share one budget (a worker decodes a batch at once). */
const fullDecodes = new PixelBudget(MAX_FULL_DECODE_PIXELS);
/** A native decode that takes longer than this is stuck (a 48 MP photo takes a few seconds). */
const NATIVE_TIMEOUT_MS = 120_000;

/**
 * Runs `use` on the pixels of a HEIC, oriented as libheif shows it (its rotation and mirror
 * properties applied), from the smallest embedded image whose short side is at least `minShort`
 * and long side at least `minLong`. A whole-image decode holds its share of the pixel budget until
 * `use` is done with the pixels. `pixels` is the primary image's size from the header.
 */
export async function withHeicPixels<T>(
  bytes: Buffer,
  need: { minShort: number; minLong: number },
  pixels: number,
  use: (image: Sharp) => Promise<T>,
): Promise<T> {
  const thumbnailFile = withThumbnailAsPrimary(bytes);
  if (thumbnailFile) {
    let thumb: Rgba | null = null;
    try {
      thumb = await decodeWasm(thumbnailFile);
    } catch {
      // a damaged thumbnail: the photo itself may still decode
    }
    if (thumb && Math.min(thumb.width, thumb.height) >= need.minShort && Math.max(thumb.width, thumb.height) >= need.minLong) {
      return use(rawImage(thumb));
    }
  }
  return fullDecodes.run(pixels || MAX_FULL_DECODE_PIXELS, async () => {
    const native = nativeDecoder();
    if (native) {
      let jpeg: Buffer | null = null;
      try {
        jpeg = await decodeNative(native, bytes);
      } catch {
        // fall through to WebAssembly, which says why if it fails too
      }
      if (jpeg) return use(sharp(jpeg));
    }
    return use(rawImage(await decodeWasm(bytes)));
  });
}

interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

function rawImage(image: Rgba): Sharp {
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  });
}

function decodeWasm(bytes: Buffer): Promise<Rgba> {
  const decode = require('heic-decode') as (input: { buffer: Uint8Array }) => Promise<Rgba>;
  return decode({ buffer: bytes });
}

/**
 * The primary image as a high-quality JPEG made by the native decoder (the working copy is a
 * 256 px downscale of it, so q92 costs nothing visible; a PNG of 12 MP takes longer to write and read).
 */
async function decodeNative(binary: string, bytes: Buffer): Promise<Buffer> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'likeness-heic-'));
  try {
    const input = path.join(dir, 'in.heic');
    const output = path.join(dir, 'out.jpg');
    await fs.promises.writeFile(input, bytes);
    await run(binary, ['--quiet', '-q', '92', input, output], { timeout: NATIVE_TIMEOUT_MS, maxBuffer: 1 << 20 });
    return await fs.promises.readFile(output);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

let found: string | null | undefined;

/** The native decoder on this machine, if any (looked up once per thread). */
export function nativeDecoder(env: NodeJS.ProcessEnv = process.env): string | null {
  const wanted = env.LIKENESS_HEIF_DECODER;
  if (wanted === 'wasm') return null;
  if (wanted) return wanted;
  if (found === undefined) found = onPath(['heif-dec', 'heif-convert'], env);
  return found;
}

function onPath(names: string[], env: NodeJS.ProcessEnv): string | null {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const suffixes = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const name of names)
    for (const dir of dirs)
      for (const suffix of suffixes) {
        const file = path.join(dir, name + suffix);
        try {
          fs.accessSync(file, fs.constants.X_OK);
          return file;
        } catch {
          // not here
        }
      }
  return null;
}
