/**
 * Maps a URL path of the renderer (`/`, `/assets/index-3f2a.js`) to a built file under
 * dist/renderer, for both the web server and the Electron protocol. Same containment rules as
 * media: decoded once, no `..`, no hidden files, symlinks resolved and checked.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveInside } from './containment.js';
import { STATIC_TYPES } from './security.js';

/** dist/renderer, next to dist/main where this file is compiled. */
export function defaultRendererDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer');
}

export async function resolveStatic(
  rendererDir: string,
  rawPath: string,
): Promise<{ path: string; contentType: string } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded === '/' || decoded === '') decoded = '/index.html';
  if (!decoded.startsWith('/') || decoded.includes('\\') || decoded.includes('\0')) return null;
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.'))) return null;
  const candidate = path.join(rendererDir, ...segments);
  const real = await resolveInside([rendererDir], candidate);
  if (!real) return null;
  const contentType = STATIC_TYPES[path.extname(real).toLowerCase()];
  return contentType ? { path: real, contentType } : null;
}
