/**
 * The web mode end to end at the HTTP level (no browser): token handshake, Host and Origin checks,
 * API envelopes and status codes, server-sent events, media containment, static files.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LikenessEvent } from '../../preload/contract.js';
import { resolveInside } from '../../main/api/containment.js';
import { createDispatch } from '../../main/api/dispatch.js';
import { startServer, type RunningServer } from '../../main/server/server.js';
import { parseServeArgs } from '../../main/server/serve-command.js';

let tmp: string;
let server: RunningServer;
const bus = new EventEmitter();

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(opts: { path: string; method?: string; headers?: Record<string, string>; body?: string; auth?: boolean }): Promise<Reply> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${server.port}`, ...(opts.auth === false ? {} : { Authorization: `Bearer ${server.token}` }), ...opts.headers };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: opts.path, method: opts.method ?? 'GET', headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const api = (call: string, body: unknown, headers: Record<string, string> = {}) =>
  request({ path: `/api/${call}`, method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

before(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-http-')));
  const root = path.join(tmp, 'photos');
  const renderer = path.join(tmp, 'renderer');
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'a.jpg'), 'JPEGDATA');
  fs.writeFileSync(path.join(tmp, 'secret.jpg'), 'SECRET');
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Likeness</title>');
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  const paths: Record<number, string> = { 1: path.join(root, 'a.jpg'), 2: path.join(tmp, 'secret.jpg') };
  server = await startServer({
    port: 0,
    rendererDir: renderer,
    dispatch: createDispatch({
      photo: ({ id }) => (id === 1 ? ({ id: 1 } as never) : null),
      // Echoes what arrived: the upload's length, first bytes and the other fields.
      similarToImage: ({ image, k }) => ({ length: image.byteLength, head: [...image.subarray(0, 4)], k }) as never,
      status: () => {
        throw new Error('boom');
      },
    }),
    media: async (_kind, id) => {
      const real = paths[id] ? await resolveInside([root], paths[id]) : null;
      return real ? { path: real, contentType: 'image/jpeg' } : null;
    },
    subscribe: (listener: (event: LikenessEvent) => void) => {
      bus.on('event', listener);
      return () => bus.off('event', listener);
    },
  });
});

after(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('web mode server', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{40,}$/);
    assert.ok(server.url.endsWith(server.token));
  });

  it('refuses requests without the token', async () => {
    assert.equal((await request({ path: '/', auth: false })).status, 401);
    assert.equal((await request({ path: '/api/photo', method: 'POST', auth: false, headers: { 'Content-Type': 'application/json' }, body: '{"id":1}' })).status, 401);
    assert.equal((await request({ path: '/media/original/1', auth: false })).status, 401);
    assert.equal((await request({ path: '/', auth: false, headers: { Authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await request({ path: '/?token=wrong', auth: false })).status, 401);
  });

  it('trades the URL token for a cookie and redirects to a clean URL', async () => {
    const first = await request({ path: `/?token=${server.token}`, auth: false });
    assert.equal(first.status, 303);
    assert.equal(first.headers.location, '/');
    const cookie = String(first.headers['set-cookie']?.[0] ?? '');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const page = await request({ path: '/', auth: false, headers: { Cookie: cookie.split(';')[0] } });
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Likeness<\/title>/);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
  });

  it('refuses foreign Host headers even with the token (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${0}`, 'localhost.evil.example', '127.0.0.1:1']) {
      const r = await request({ path: '/', headers: { Host: host.replace(':0', `:${server.port}`) } });
      assert.equal(r.status, 421, host);
    }
    const noHost = await request({ path: '/', headers: { Host: '' } });
    assert.equal(noHost.status, 421);
  });

  it('refuses API calls from another origin', async () => {
    const r = await api('photo', { id: 1 }, { Origin: 'https://evil.example' });
    assert.equal(r.status, 403);
    const same = await api('photo', { id: 1 }, { Origin: `http://127.0.0.1:${server.port}` });
    assert.equal(same.status, 200);
  });

  it('answers API calls with envelopes and meaningful status codes', async () => {
    const okReply = await api('photo', { id: 1 });
    assert.equal(okReply.status, 200);
    assert.deepEqual(JSON.parse(okReply.body), { ok: true, value: { id: 1 } });
    assert.equal(okReply.headers['cache-control'], 'no-store');

    const invalid = await api('photo', { id: 'one' });
    assert.equal(invalid.status, 400);
    assert.equal(JSON.parse(invalid.body).error.code, 'invalid-request');

    const unknown = await api('deleteEverything', {});
    assert.equal(unknown.status, 404);
    assert.equal(JSON.parse(unknown.body).error.code, 'unknown-call');

    const internal = await api('status', {});
    assert.equal(internal.status, 500);
    assert.equal(JSON.parse(internal.body).error.message, 'boom');

    const notJson = await request({ path: '/api/photo', method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"id":1}' });
    assert.equal(notJson.status, 415, 'a form post from another site cannot be JSON');

    const broken = await request({ path: '/api/photo', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":' });
    assert.equal(broken.status, 400);

    const get = await request({ path: '/api/photo' });
    assert.equal(get.status, 405);
  });

  it('streams events', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: server.port, path: '/api/events', headers: { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}` }, setHost: false },
        (res) => {
          assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
            if (text.includes('library-changed')) {
              req.destroy();
              resolve(text);
            }
          });
          setTimeout(() => bus.emit('event', { type: 'library-changed', reason: 'test' } satisfies LikenessEvent), 50);
        },
      );
      req.on('error', (e) => (e.message.includes('aborted') ? undefined : reject(e)));
      req.end();
    });
    assert.match(received, /data: \{"type":"library-changed","reason":"test"\}/);
  });

  it('serves media inside the roots only, by id', async () => {
    const r = await request({ path: '/media/original/1' });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'JPEGDATA');
    assert.equal(r.headers['content-type'], 'image/jpeg');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    for (const p of [
      '/media/original/2',
      '/media/original/3',
      '/media/original/../../secret.jpg',
      '/media/original/..%2F..%2Fsecret.jpg',
      '/media/%2e%2e/%2e%2e/secret.jpg',
      '/media/original/1/../2',
      '/media/thumb/1%00',
    ]) {
      const bad = await request({ path: p });
      assert.equal(bad.status, 404, p);
      assert.doesNotMatch(bad.body, /SECRET/);
    }
  });

  it('serves the renderer files but no traversal out of them', async () => {
    assert.equal((await request({ path: '/assets/app.js' })).status, 200);
    assert.equal((await request({ path: '/assets/../../secret.jpg' })).status, 404);
    assert.equal((await request({ path: '/%2e%2e/secret.jpg' })).status, 404);
    assert.equal((await request({ path: '/missing.js' })).status, 404);
    assert.equal((await request({ path: '/', method: 'DELETE' })).status, 405);
  });
});

describe('request bodies over the limit', () => {
  const limited = (limits: { maxJsonBytes?: number; maxUploadBytes?: number }) =>
    startServer({ port: 0, rendererDir: tmp, ...limits, dispatch: createDispatch({}), media: async () => null, subscribe: () => () => {} });

  /** Sends `body` in 256 KB pieces, as a browser uploading a big image does, and reads the answer. */
  function post(to: RunningServer, call: string, type: string, body: Buffer, chunked: boolean): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { Host: `127.0.0.1:${to.port}`, Authorization: `Bearer ${to.token}`, 'Content-Type': type };
      if (!chunked) headers['Content-Length'] = String(body.length);
      const req = http.request({ host: '127.0.0.1', port: to.port, path: `/api/${call}`, method: 'POST', headers, setHost: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      for (let i = 0; i < body.length; i += 256 * 1024) req.write(body.subarray(i, i + 256 * 1024));
      req.end();
    });
  }

  it('get a 413 with the reason, not a connection reset, whether their length is announced or not', async () => {
    const small = await limited({ maxUploadBytes: 64 * 1024, maxJsonBytes: 64 * 1024 });
    try {
      const image = Buffer.alloc(4 * 1024 * 1024, 0xab);
      const json = Buffer.from(JSON.stringify({ ids: Array.from({ length: 100_000 }, (_, i) => i + 1) }));
      for (const chunked of [false, true]) {
        const upload = await post(small, 'similarToImage', 'application/octet-stream', image, chunked);
        assert.equal(upload.status, 413, chunked ? 'chunked' : 'with Content-Length');
        assert.match(JSON.parse(upload.body).error.message, /request body over 64 KB: send a smaller image/);
        const call = await post(small, 'photos', 'application/json', json, chunked);
        assert.equal(call.status, 413, chunked ? 'chunked JSON' : 'JSON with Content-Length');
        assert.equal(JSON.parse(call.body).error.message, 'request body over 64 KB');
      }
    } finally {
      await small.close();
    }
  });

  it('refuse an upload over the image limit before reading it: announced, or as soon as it grows past', { timeout: 30_000 }, async () => {
    const server48 = await limited({}); // the default: the contract's MAX_IMAGE_BYTES
    try {
      for (const announced of [true, false]) {
        const reply = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
          const headers: Record<string, string> = { Host: `127.0.0.1:${server48.port}`, Authorization: `Bearer ${server48.token}`, 'Content-Type': 'application/octet-stream' };
          // A gigabyte announced; without a length, the body simply keeps coming.
          if (announced) headers['Content-Length'] = String(1 << 30);
          let sent = 0;
          let answered = false;
          const req = http.request({ host: '127.0.0.1', port: server48.port, path: '/api/similarToImage', method: 'POST', headers, setHost: false }, (res) => {
            answered = true;
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              req.destroy();
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), sent });
            });
          });
          req.on('error', (error) => (answered ? undefined : reject(error)));
          const piece = Buffer.alloc(1024 * 1024, 0xcd);
          // Never ends the request: only an answer given before the body is complete arrives.
          const pump = () => {
            if (answered || sent >= 200 * 1024 * 1024) return;
            sent += piece.length;
            if (req.write(piece)) setImmediate(pump);
            else req.once('drain', pump);
          };
          pump();
        });
        assert.equal(reply.status, 413, announced ? 'announced' : 'growing');
        assert.equal(JSON.parse(reply.body).error.message, 'request body over 48 MB: send a smaller image');
        // Answered long before the gigabyte (or the 200 MB this sends at most) was through.
        assert.ok(reply.sent < (announced ? 16 : 120) * 1024 * 1024, `answered after ${reply.sent >> 20} MB sent`);
      }
    } finally {
      await server48.close();
    }
  });

});

describe('uploads', () => {
  it('hand an upload to its call as bytes, the query string as its other fields', async () => {
    const image = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 996 }, (_, i) => i % 251)]);
    const reply = await new Promise<Reply>((resolve, reject) => {
      const headers = { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/octet-stream', 'Content-Length': String(image.length) };
      const req = http.request({ host: '127.0.0.1', port: server.port, path: '/api/similarToImage?k=7', method: 'POST', headers, setHost: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(image);
    });
    assert.equal(reply.status, 200, reply.body);
    assert.deepEqual(JSON.parse(reply.body), { ok: true, value: { length: 1000, head: [0xff, 0xd8, 0xff, 0xe0], k: 7 } });
    // Base64 inside JSON is no longer an image.
    const old = await api('similarToImage', { image: image.toString('base64') });
    assert.equal(old.status, 400);
    assert.match(JSON.parse(old.body).error.message, /image: expected the image's bytes/);
  });

  it('take the bytes only for calls that upload, JSON for the rest', async () => {
    const reply = await request({ path: '/api/status', method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: 'xxxx' });
    assert.equal(reply.status, 415);
    assert.match(JSON.parse(reply.body).error.message, /status takes JSON/);
    const form = await request({ path: '/api/similarToImage', method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, body: '--x--' });
    assert.equal(form.status, 415);
    assert.match(JSON.parse(form.body).error.message, /send the file's bytes \(Content-Type: application\/octet-stream\)/);
  });
});

describe('likeness serve arguments', () => {
  it('parses --db, --port and --engine', () => {
    assert.deepEqual(parseServeArgs(['--db', '/tmp/x.db', '--port', '0']), { dbPath: '/tmp/x.db', port: 0, help: false });
    assert.deepEqual(parseServeArgs(['--port=8123', '--engine=tfjs']), { port: 8123, engine: 'tfjs', help: false });
    assert.throws(() => parseServeArgs(['--port', 'eighty']), /--port/);
    assert.throws(() => parseServeArgs(['--port', '70000']), /--port/);
    assert.throws(() => parseServeArgs(['--engine', 'cuda']), /--engine/);
    assert.throws(() => parseServeArgs(['--db']), /needs a value/);
    assert.throws(() => parseServeArgs(['--host', '0.0.0.0']), /unknown option/);
    assert.equal(parseServeArgs(['--no-watch']).watch, false);
    assert.equal(parseServeArgs([]).watch, undefined);
  });
});
