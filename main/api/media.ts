/**
 * Resolves a media request (thumbnail or original of a photo id) to a file that may be served.
 * Shared by the web server and the Electron protocol: the database says which file belongs to the
 * id, and the containment check says whether it may leave the machine's disk — originals only from
 * inside a library root, thumbnails only from the thumbnail cache of this database.
 */
import { resolveInside, imageContentType, type MediaKind } from './containment.js';
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
  if (kind === 'thumb') {
    if (photo.thumbnail) {
      const real = await resolveInside([thumbnailDir], photo.thumbnail);
      if (real) return { path: real, contentType: 'image/webp' };
    }
    // No thumbnail yet (pending, or its writing failed): fall back to the original.
  }
  const real = await resolveInside(library.roots(), photo.path);
  if (!real) return null;
  const contentType = imageContentType(real);
  if (NEVER_SERVED.has(contentType)) return null;
  return { path: real, contentType };
}
