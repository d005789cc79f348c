/**
 * The `likeness:` protocol: the renderer's files and the photos' thumbnails and originals, served
 * to the window without `file://`. Media go through the library service, which resolves the id to
 * a path and checks it is inside a library root (originals) or the thumbnail cache (thumbnails),
 * symlinks resolved; anything the router (app-url.ts) refuses is a 404.
 */
import { protocol } from 'electron';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { SECURITY_HEADERS } from '../api/security.js';
import { defaultRendererDir, resolveStatic } from '../api/static-files.js';
import { APP_SCHEME, routeAppUrl } from './app-url.js';
import type { ServiceClient } from './service-client.js';

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function handleAppProtocol(service: ServiceClient, rendererDir = defaultRendererDir()): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound(405);
    const route = routeAppUrl(request.url);
    if (!route) return notFound();
    if (route.type === 'media') {
      const file = await service.media(route.kind, route.id);
      if (!file) return notFound();
      return fileResponse(file.path, file.contentType, 'private, max-age=300', request.method === 'HEAD');
    }
    const file = await resolveStatic(rendererDir, route.rawPath);
    if (!file) return notFound();
    return fileResponse(file.path, file.contentType, 'no-cache', request.method === 'HEAD');
  });
}

async function fileResponse(file: string, contentType: string, cache: string, headOnly: boolean): Promise<Response> {
  let size: number;
  try {
    size = (await fs.promises.stat(file)).size;
  } catch {
    return notFound();
  }
  const headers = { ...SECURITY_HEADERS, 'Content-Type': contentType, 'Content-Length': String(size), 'Cache-Control': cache };
  if (headOnly) return new Response(null, { status: 200, headers });
  const body = Readable.toWeb(fs.createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}

function notFound(status = 404): Response {
  return new Response('Not found', { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
