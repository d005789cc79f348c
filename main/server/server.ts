/**
 * The web mode: the renderer and the contract over HTTP, on 127.0.0.1 only.
 *
 *   GET  /?token=…            checks the launch token, sets the session cookie, redirects to /
 *   GET  /, /assets/…         the built renderer (dist/renderer)
 *   POST /api/<call>          one contract call; JSON request body, JSON envelope answer
 *   POST /api/<upload call>   a call that uploads a file (UPLOAD_FIELD): the file's bytes as the
 *                             body (application/octet-stream), its other fields in the query
 *   GET  /api/events          server-sent events (indexing progress, library changes)
 *   GET  /media/thumb/<id>    a photo's thumbnail (from the thumbnail cache only)
 *   GET  /media/original/<id> a photo's original (from inside a library root only)
 *
 * Every request must carry an allowed Host header and the token (cookie or bearer header).
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUploadCall, MAX_IMAGE_BYTES, UPLOAD_FIELD, type ApiErrorCode, type Envelope, type LikenessEvent, type UploadCall } from '../../preload/contract.js';
import { parseMediaPath, type MediaKind } from '../api/containment.js';
import type { Dispatch } from '../api/dispatch.js';
import type { MediaFile } from '../api/media.js';
import { SECURITY_HEADERS } from '../api/security.js';
import { defaultRendererDir, resolveStatic } from '../api/static-files.js';
import { BodyTooLargeError, readBytes, readJson } from './bodies.js';
import { isAllowedHost, isAllowedOrigin, newToken, presentedToken, sessionCookie, tokensEqual } from './auth.js';

export interface ServerOptions {
  dispatch: Dispatch;
  media(kind: MediaKind, id: number): Promise<MediaFile | null>;
  subscribe(listener: (event: LikenessEvent) => void): () => void;
  rendererDir?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  token?: string;
  /** Largest JSON request body (default 4 MB; a call's 10,000 ids are ~170 KB). Files come as uploads. */
  maxJsonBytes?: number;
  /** Largest uploaded file (default the contract's image limit, MAX_IMAGE_BYTES). */
  maxUploadBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const STATUS_OF: Record<ApiErrorCode, number> = {
  'invalid-request': 400,
  'unknown-call': 404,
  'not-found': 404,
  unsupported: 501,
  busy: 409,
  'read-only': 409,
  internal: 500,
};

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const maxJson = options.maxJsonBytes ?? 4 * 1024 * 1024;
  const maxUpload = options.maxUploadBytes ?? MAX_IMAGE_BYTES;
  const streams = new Set<ServerResponse>();
  let port = options.port ?? 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) plain(res, 500, 'Internal error');
      else res.destroy();
      console.error('likeness serve:', error);
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (!isAllowedHost(req.headers.host, port)) return plain(res, 421, 'Misdirected request: unexpected Host header');

    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));

    // First load: the printed URL carries the token; trade it for a cookie and drop it from the URL.
    if (req.method === 'GET' && rawPath === '/' && query.has('token')) {
      if (!tokensEqual(token, query.get('token'))) return unauthorised(res);
      res.setHeader('Set-Cookie', sessionCookie(token, port));
      res.setHeader('Cache-Control', 'no-store');
      res.writeHead(303, { Location: '/' }).end();
      return;
    }
    if (!tokensEqual(token, presentedToken(req.headers, port))) return unauthorised(res);

    if (rawPath.startsWith('/api/')) {
      if (!isAllowedOrigin(req.headers.origin, port)) return plain(res, 403, 'Forbidden origin');
      res.setHeader('Cache-Control', 'no-store');
      if (rawPath === '/api/events' && req.method === 'GET') return events(req, res);
      if (req.method !== 'POST') return plain(res, 405, 'Use POST for API calls');
      return apiCall(req, res, rawPath.slice('/api/'.length), query);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed');
    if (rawPath.startsWith('/media/')) return media(req, res, rawPath);
    const file = await resolveStatic(rendererDir, rawPath);
    if (!file) {
      if (rawPath === '/') return plain(res, 500, 'The renderer is not built (run `npm run build`)');
      return plain(res, 404, 'Not found');
    }
    res.setHeader('Cache-Control', rawPath.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-cache');
    return sendFile(req, res, file.path, file.contentType);
  }

  async function apiCall(req: IncomingMessage, res: ServerResponse, name: string, query: URLSearchParams): Promise<void> {
    const type = req.headers['content-type'] ?? '';
    let body: unknown;
    try {
      if (/^application\/octet-stream(;|$)/i.test(type)) {
        if (!isUploadCall(name)) return json(res, 415, fail('invalid-request', `${name.slice(0, 64)} takes JSON (Content-Type: application/json)`));
        body = uploadRequest(name, await readBytes(req, maxUpload), query);
      } else if (/^application\/json(;|$)/i.test(type)) {
        body = await readJson(req, maxJson);
      } else {
        const wanted = isUploadCall(name) ? "the file's bytes (Content-Type: application/octet-stream)" : 'JSON (Content-Type: application/json)';
        return json(res, 415, fail('invalid-request', `send ${wanted}`));
      }
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return json(res, 413, fail('invalid-request', isUploadCall(name) ? `${error.message}: send a smaller image` : error.message));
      }
      return json(res, 400, fail('invalid-request', error instanceof Error ? error.message : 'bad request body'));
    }
    const answer = await options.dispatch(name, body);
    json(res, answer.ok ? 200 : STATUS_OF[answer.error.code] ?? 500, answer);
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 2000\n\n');
    streams.add(res);
    const unsubscribe = options.subscribe((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', end);
    res.on('close', end);
  }

  async function media(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    const parsed = parseMediaPath(rawPath);
    if (!parsed) return plain(res, 404, 'Not found');
    const file = await options.media(parsed.kind, parsed.id);
    if (!file) return plain(res, 404, 'Not found');
    res.setHeader('Cache-Control', 'private, max-age=300');
    return sendFile(req, res, file.path, file.contentType);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${HOST}:${port}/?token=${token}`;

  return {
    url,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function fail(code: ApiErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function unauthorised(res: ServerResponse): void {
  plain(res, 401, 'Likeness: open the full URL printed by `likeness serve` (it includes the access token).');
}

/**
 * An upload's request: the file's bytes in its UPLOAD_FIELD, the other fields from the query
 * string (whole numbers as numbers, as `?k=20`). The call's schema checks the rest.
 */
function uploadRequest(call: UploadCall, bytes: Buffer, query: URLSearchParams): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const [key, value] of query) request[key] = /^\d{1,15}$/.test(value) ? Number(value) : value;
  request[UPLOAD_FIELD[call]] = bytes;
  return request;
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, contentType: string): Promise<void> {
  const stat = await fs.promises.stat(file);
  const etag = `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ETag: etag }).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': stat.size, ETag: etag });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = fs.createReadStream(file);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', () => resolve());
    stream.pipe(res);
  });
}
