/**
 * The app's own URL space, `likeness://app/…`, as pure functions (no Electron import) so the
 * routing and its refusals are unit-tested in plain Node:
 *   likeness://app/                    → dist/renderer/index.html
 *   likeness://app/assets/…            → built renderer files
 *   likeness://app/media/thumb/<id>    → a photo's thumbnail (via the library service)
 *   likeness://app/media/original/<id> → a photo's original (via the library service)
 * Anything else — another host, an encoded separator, a `..` — is refused. The raw URL is parsed
 * by hand because WHATWG URL parsing would already have resolved `..` and `%2e%2e` by then.
 */
import { parseMediaPath, type MediaKind } from '../api/containment.js';

export const APP_SCHEME = 'likeness';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

export type AppRoute = { type: 'static'; rawPath: string } | { type: 'media'; kind: MediaKind; id: number };

export function routeAppUrl(url: string): AppRoute | null {
  const prefix = `${APP_ORIGIN}/`;
  if (typeof url !== 'string' || !url.toLowerCase().startsWith(prefix)) return null;
  let rest = url.slice(prefix.length - 1); // keep the leading "/"
  const cut = rest.search(/[?#]/);
  if (cut !== -1) rest = rest.slice(0, cut);
  if (rest.includes('\\') || rest.includes('\0') || /%(2e|2f|5c|00)/i.test(rest)) return null;
  if (rest.split('/').some((s) => s === '..' || s === '.')) return null;
  if (rest.startsWith('/media/')) {
    const media = parseMediaPath(rest);
    return media ? { type: 'media', ...media } : null;
  }
  return { type: 'static', rawPath: rest };
}

/** True for URLs of the app itself (navigation inside the window is limited to these). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** `shell.openExternal` gets only plain http(s) URLs without credentials. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && u.hostname.length > 0;
  } catch {
    return false;
  }
}
