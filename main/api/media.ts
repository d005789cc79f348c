/**
 * Resolves a media request (thumbnail or original of a photo id) to a file that may be served.
 * Shared by the web server and the Electron protocol: the database says which file belongs to the
 * id, and the containment check says whether it may leave the machine's disk — originals only from
 * inside a library root, thumbnails only from the thumbnail cache of this database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openForDisplay } from '../core/imaging/decode.js';
import { isPathInside, isPlainAbsolutePath, resolveInside, imageContentType, type MediaKind } from './containment.js';
import type { CoreLibrary } from './library-port.js';

/** Short side of a large thumbnail: a 256 px thumbnail's is ~192, soft in a 189 px tile at 2×. */
export const LARGE_THUMBNAIL_SIDE = 512;

export interface MediaFile {
  path: string;
  contentType: string;
}

/** SVG can carry script; it is never served as an original, whatever the extension says. */
const NEVER_SERVED = new Set(['image/svg+xml', 'application/octet-stream']);

export async function resolveMedia(
  library: CoreLibrary,
  thumbnailDir: string,
  kind: MediaKind,
  id: number,
): Promise<MediaFile | null> {
  const photo = library.photo(id);
  if (!photo) return null;
  const roots = library.roots();
  const real = await resolveInside(roots, photo.path);
  if (kind === 'thumb') {
    // A thumbnail shows the original: it obeys the original's rule, on the original's real path
    // (a symlink leading out of the roots gets neither). Only a file that cannot be reached at
    // all (an unplugged drive) is judged by the path the library recorded for it.
    const allowed = real !== null || (!(await exists(photo.path)) && roots.some((root) => isPathInside(photo.path, root)));
    if (!allowed) return null;
    if (photo.thumbnail) {
      const thumb = await resolveInside([thumbnailDir], photo.thumbnail);
      if (thumb) return { path: thumb, contentType: 'image/webp' };
    }
    // No thumbnail yet (pending, or its writing failed): fall back to the original.
  }
  if (kind === 'large') {
    if (!real) return null;
    const made = await largeThumbnail(real, largeDirFor(thumbnailDir), id, photo.mtimeMs).catch(() => null);
    const large = made ? await resolveInside([largeDirFor(thumbnailDir)], made) : null;
    if (large) return { path: large, contentType: 'image/webp' };
    return resolveMedia(library, thumbnailDir, 'thumb', id);
  }
  if (!real) return null;
  const contentType = imageContentType(real);
  if (NEVER_SERVED.has(contentType)) return null;
  return { path: real, contentType };
}

/** Whether anything is at `file`, a dangling symlink included (lstat: the link itself). */
async function exists(file: string): Promise<boolean> {
  if (!isPlainAbsolutePath(file)) return true; // never judged by its recorded path
  try {
    await fs.promises.lstat(file);
    return true;
  } catch {
    return false;
  }
}

const making = new Map<string, Promise<string>>();

/**
 * Beside the thumbnail folder, not in it: the indexer sweeps files there that no photo row names.
 * (Large thumbnails of photos that left the library stay until the cache is cleared.)
 */
export function largeDirFor(thumbnailDir: string): string {
  return path.join(path.dirname(thumbnailDir), 'large-thumbnails');
}

/**
 * A 512 px (short side) WebP of the photo, made on first request from the original and kept in
 * the large-thumbnail folder under the file's id and modification time (a changed photo gets a new one).
 */
function largeThumbnail(original: string, largeDir: string, id: number, mtimeMs: number): Promise<string> {
  const file = path.join(largeDir, `${id}-${Math.floor(mtimeMs).toString(36)}.webp`);
  if (fs.existsSync(file)) return Promise.resolve(file);
  let pending = making.get(file);
  if (!pending) {
    pending = (async () => {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await (await openForDisplay(original))
        .resize(LARGE_THUMBNAIL_SIDE, LARGE_THUMBNAIL_SIDE, { fit: 'outside', withoutEnlargement: true })
        .webp({ quality: 80 })
        .toFile(tmp);
      await fs.promises.rename(tmp, file);
      return file;
    })().finally(() => making.delete(file));
    making.set(file, pending);
  }
  return pending;
}
