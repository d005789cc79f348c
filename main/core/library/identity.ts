/**
 * File identity on the main thread, kept cheap: the content hash (the same sha1 the decoder
 * records) read as a stream, only when a size match makes a move or copy plausible; an existence
 * test that respects the case of the name (on a case-insensitive disk `IMG.JPG` "exists" after it
 * was renamed to `img.jpg`); and a look at a file's tail to tell a write still in progress.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/** sha1 of the file's bytes, hex: equal to `PhotoFacts.contentHash` for the same bytes. */
export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha1');
    const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    stream.on('error', reject);
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}

/** Hashes, or null when the file cannot be read (vanished, permission denied). */
export async function tryHashFile(file: string): Promise<string | null> {
  try {
    return await hashFile(file);
  } catch {
    return null;
  }
}

/**
 * Folder listings cached for one pass: whether a path exists with exactly this spelling.
 * (A stat alone says yes to `Photo.JPG` when only `photo.jpg` exists on macOS and Windows.)
 */
export class ExactExistence {
  private readonly listings = new Map<string, Promise<Set<string> | null>>();

  async exists(file: string): Promise<boolean> {
    const names = await this.list(path.dirname(file));
    return names !== null && names.has(path.basename(file));
  }

  /** Forget cached listings (call when a new pass starts). */
  clear(): void {
    this.listings.clear();
  }

  private list(dir: string): Promise<Set<string> | null> {
    let listing = this.listings.get(dir);
    if (!listing) {
      listing = fsp.readdir(dir).then(
        (names) => new Set(names),
        () => null,
      );
      this.listings.set(dir, listing);
    }
    return listing;
  }
}

/**
 * Whether an image file has its end marker: true/false for a JPEG (end-of-image marker) or PNG
 * (IEND chunk), null for formats without a cheap check (left to the write-settle time and the
 * decoder). Used with the modification time to tell a copy still being written.
 */
export async function hasEndMarker(file: string, size: number): Promise<boolean | null> {
  const ext = path.extname(file).toLowerCase();
  const isJpeg = ext === '.jpg' || ext === '.jpeg' || ext === '.jpe' || ext === '.jfif';
  const isPng = ext === '.png';
  if (!isJpeg && !isPng) return null;
  if (size < 16) return false;
  const length = Math.min(size, 256);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(file, 'r');
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    if (isPng) return tail.includes(Buffer.from('IEND', 'latin1'));
    // Cameras and editors may pad after the marker, so look for it near the end, not at it.
    for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true;
    return false;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

/** False when a JPEG or PNG visibly ends too early; true otherwise (unknown formats included). */
export async function looksComplete(file: string, size: number): Promise<boolean> {
  return (await hasEndMarker(file, size)) !== false;
}
