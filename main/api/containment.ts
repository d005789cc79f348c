/**
 * Path containment for everything served to a UI (the `likeness:` protocol in Electron and the
 * /media routes in the web mode): a file is served only if, after resolving every symlink, it is a
 * regular file inside one of the allowed folders (the library roots for originals, the thumbnail
 * cache for thumbnails). Paths with `..` segments are refused outright, even when they would
 * resolve inside, so no caller can probe the file system with them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** True when `child` is `parent` or below it (both already absolute and normalised). */
export function isPathInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).includes('..'));
}

/** Rejects anything that is not a plain absolute path: relative, NUL, `..` or `.` segments. */
export function isPlainAbsolutePath(candidate: string): boolean {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 4096) return false;
  if (candidate.includes('\0')) return false;
  if (!path.isAbsolute(candidate)) return false;
  const segments = candidate.split(/[\\/]+/);
  return !segments.some((s) => s === '..' || s === '.');
}

async function realpathOrNull(p: string): Promise<string | null> {
  try {
    return await fs.realpath(p);
  } catch {
    return null;
  }
}

/**
 * The real path of `candidate` if it is a regular file inside one of `bases` (compared after
 * resolving symlinks on both sides), else null.
 */
export async function resolveInside(bases: readonly string[], candidate: string): Promise<string | null> {
  if (!isPlainAbsolutePath(candidate)) return null;
  const real = await realpathOrNull(candidate);
  if (!real) return null;
  let inside = false;
  for (const base of bases) {
    if (!isPlainAbsolutePath(base)) continue;
    const realBase = await realpathOrNull(base);
    if (realBase && isPathInside(real, realBase)) {
      inside = true;
      break;
    }
  }
  if (!inside) return null;
  try {
    const stat = await fs.stat(real);
    return stat.isFile() ? real : null;
  } catch {
    return null;
  }
}

/** thumb: the 256 px thumbnail; large: a 512 px one for big tiles and 2× screens; original. */
export type MediaKind = 'thumb' | 'large' | 'original';

/**
 * Parses the path of a media URL: `/media/thumb/<id>`, `/media/large/<id>` or `/media/original/<id>`. The raw
 * (still percent-encoded) path must match exactly, so encoded separators or dots never reach
 * the file system.
 */
export function parseMediaPath(rawPath: string): { kind: MediaKind; id: number } | null {
  const m = /^\/media\/(thumb|large|original)\/([1-9][0-9]{0,14})$/.exec(rawPath);
  if (!m) return null;
  const id = Number(m[2]);
  if (!Number.isSafeInteger(id)) return null;
  return { kind: m[1] as MediaKind, id };
}

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jfif': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.svg': 'image/svg+xml',
};

export function imageContentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
