/**
 * Resolves a media request (thumbnail or original of a photo id) to a file that may be served.
 * Shared by the web server and the Electron protocol: the database says which file belongs to the
 * id, and the containment check says whether it may leave the machine's disk — originals only from
 * inside a library root, thumbnails only from the thumbnail cache of this database.
 */
import fs from 'node:fs/promises';
import { isPathInside, isPlainAbsolutePath, resolveInside, imageContentType, type MediaKind } from './containment.js';
import type { CoreLibrary } from './library-port.js';

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
  if (!real) return null;
  const contentType = imageContentType(real);
  if (NEVER_SERVED.has(contentType)) return null;
  return { path: real, contentType };
}

/** Whether anything is at `file`, a dangling symlink included (lstat: the link itself). */
async function exists(file: string): Promise<boolean> {
  if (!isPlainAbsolutePath(file)) return true; // never judged by its recorded path
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}
