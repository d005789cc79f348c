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

/** What the index recorded of a file: enough to tell whether it is still the same bytes. */
export interface RecordedVersion {
  size: number;
  mtime_ms: number;
  content_hash: string | null;
}

/**
 * Why the file at `file` is no longer what the index recorded (size, modification time, content
 * hash), in words; null when it still is. Reads the whole file (the hash) only when size and
 * time agree.
 */
export async function changedSinceIndexed(file: string, recorded: RecordedVersion): Promise<string | null> {
  let stat: fs.Stats;
  try {
    stat = await fsp.stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? (error as Error).message})`;
  }
  if (!stat.isFile()) return 'not a regular file';
  if (stat.size !== recorded.size || Math.floor(stat.mtimeMs) !== recorded.mtime_ms) return 'changed on disk since it was indexed (size or modification time)';
  if (!recorded.content_hash) return 'its content was never hashed (not indexed yet)';
  const hash = await tryHashFile(file);
  if (hash === null) return 'cannot be read';
  if (hash !== recorded.content_hash) return 'its content changed since it was indexed (same size and time, other bytes)';
  return null;
}

/**
 * One identity per file whatever the number of paths to it (symlinks, symlinked folders, hard
 * links): its device and inode, exact for 64-bit inodes. Null where the disk has no inode numbers.
 */
export function inodeKey(stat: fs.BigIntStats): string | null {
  return stat.ino === 0n ? null : `${stat.dev}:${stat.ino}`;
}

/** Modification time in whole ms rounded down, as `Math.floor(stat.mtimeMs)` of a plain stat. */
export function mtimeMsOf(stat: fs.BigIntStats): number {
  const ms = stat.mtimeNs / 1_000_000n; // (bigint division rounds toward zero)
  return Number(stat.mtimeNs < 0n && stat.mtimeNs % 1_000_000n !== 0n ? ms - 1n : ms);
}

/** The file's `inodeKey`, following symlinks; null when it cannot be stat'ed. */
export async function fileKey(file: string): Promise<string | null> {
  try {
    return inodeKey(await fsp.stat(file, { bigint: true }));
  } catch {
    return null;
  }
}

/** Whether the path itself is a symbolic link (not what it points to). */
export async function isSymlink(file: string): Promise<boolean> {
  try {
    return (await fsp.lstat(file)).isSymbolicLink();
  } catch {
    return false;
  }
}
