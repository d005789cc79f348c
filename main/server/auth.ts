/**
 * Who may talk to the web mode. The server listens on 127.0.0.1 only; on top of that:
 *  - a random token per launch, given once in the printed URL (`/?token=…`), then kept in an
 *    HttpOnly, SameSite=Strict cookie (or sent as `Authorization: Bearer …` by scripts);
 *  - a Host-header check, so a page on another site that rebinds its DNS name to 127.0.0.1 cannot
 *    reach the server (its requests carry its own host name);
 *  - an Origin check on state-changing requests.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokensEqual(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 256) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The Host header must name the loopback interface and our port, nothing else. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.trim().toLowerCase();
  return LOOPBACK_NAMES.some((name) => h === `${name}:${port}`);
}

/** When a browser sends an Origin (it does on POST and on cross-origin requests), it must be ours. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return LOOPBACK_NAMES.some((name) => origin.toLowerCase() === `http://${name}:${port}`);
}

/** Cookie names are shared by every port of a host, so ours carries the port. */
export function cookieName(port: number): string {
  return `likeness_token_${port}`;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

/** The token a request presents: bearer header first, then our cookie. */
export function presentedToken(headers: IncomingHttpHeaders, port: number): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  return parseCookies(headers.cookie).get(cookieName(port)) ?? null;
}

export function sessionCookie(token: string, port: number): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}
