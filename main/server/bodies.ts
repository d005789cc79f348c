/**
 * Request bodies of the web mode: a call's JSON, or an uploaded file's bytes. Either is held in
 * memory only up to its limit: a body that announces more is refused before any of it is read,
 * and one that grows past the limit (no Content-Length) is refused as soon as it does.
 */
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`request body over ${limit >= 1 << 20 ? `${Math.floor(limit / (1 << 20))} MB` : `${Math.floor(limit / 1024)} KB`}`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The body's bytes, at most `limit`. Refused early, the rest of the body is still taken off the
 * wire and dropped (Node's server does so once the answer is sent): closing the connection while
 * the client is still sending resets it before it can read the answer, so it would never see
 * the 413.
 */
export function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      return reject(new BodyTooLargeError(limit));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      req.off('data', onData);
      req.resume();
      reject(new BodyTooLargeError(limit));
    };
    req.on('data', onData);
    req.on('end', () => {
      if (size <= limit) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

/** The body as JSON (an empty body is `{}`), at most `limit` bytes of it. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = (await readBytes(req, limit)).toString('utf8');
  if (text.length === 0) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('request body is not valid JSON');
  }
}
