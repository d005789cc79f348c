/** The web mode's gatekeeping: per-launch token, Host header (DNS rebinding), Origin, cookies. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cookieName, isAllowedHost, isAllowedOrigin, newToken, parseCookies, presentedToken, sessionCookie, tokensEqual } from '../../main/server/auth.js';

describe('tokens', () => {
  it('are random, long and URL-safe', () => {
    const a = newToken();
    const b = newToken();
    assert.notEqual(a, b);
    assert.ok(a.length >= 40);
    assert.match(a, /^[A-Za-z0-9_-]+$/);
  });

  it('compare exactly', () => {
    const t = newToken();
    assert.equal(tokensEqual(t, t), true);
    assert.equal(tokensEqual(t, t.slice(0, -1)), false);
    assert.equal(tokensEqual(t, `${t}x`), false);
    assert.equal(tokensEqual(t, t.toUpperCase()), false);
    assert.equal(tokensEqual(t, ''), false);
    assert.equal(tokensEqual(t, null), false);
    assert.equal(tokensEqual(t, undefined), false);
    assert.equal(tokensEqual(t, 'x'.repeat(10_000)), false);
  });

  it('are read from a bearer header or our own cookie only', () => {
    assert.equal(presentedToken({ authorization: 'Bearer abc' }, 8080), 'abc');
    assert.equal(presentedToken({ cookie: `other=1; ${cookieName(8080)}=xyz` }, 8080), 'xyz');
    assert.equal(presentedToken({ cookie: `${cookieName(9090)}=xyz` }, 8080), null, 'another instance’s cookie does not count');
    assert.equal(presentedToken({ authorization: 'Basic abc' }, 8080), null);
    assert.equal(presentedToken({}, 8080), null);
  });

  it('set a strict, HttpOnly cookie', () => {
    const c = sessionCookie('tok', 1234);
    assert.match(c, /^likeness_token_1234=tok;/);
    assert.match(c, /HttpOnly/);
    assert.match(c, /SameSite=Strict/);
    assert.match(c, /Path=\//);
  });

  it('parse cookies defensively', () => {
    assert.deepEqual([...parseCookies('a=1; b = 2;;=3; c')], [['a', '1'], ['b', '2']]);
    assert.equal(parseCookies(undefined).size, 0);
  });
});

describe('Host header', () => {
  it('must name the loopback interface and our port', () => {
    assert.equal(isAllowedHost('127.0.0.1:5000', 5000), true);
    assert.equal(isAllowedHost('localhost:5000', 5000), true);
    assert.equal(isAllowedHost('LOCALHOST:5000', 5000), true);
    assert.equal(isAllowedHost('[::1]:5000', 5000), true);
  });

  it('refuses rebinding names, other ports and missing hosts', () => {
    assert.equal(isAllowedHost('evil.example:5000', 5000), false);
    assert.equal(isAllowedHost('127.0.0.1.nip.io:5000', 5000), false);
    assert.equal(isAllowedHost('localhost.evil.example:5000', 5000), false);
    assert.equal(isAllowedHost('127.0.0.1:5001', 5000), false);
    assert.equal(isAllowedHost('127.0.0.1', 5000), false);
    assert.equal(isAllowedHost('', 5000), false);
    assert.equal(isAllowedHost(undefined, 5000), false);
    assert.equal(isAllowedHost('0.0.0.0:5000', 5000), false);
  });
});

describe('Origin header', () => {
  it('is optional, but when present must be ours', () => {
    assert.equal(isAllowedOrigin(undefined, 5000), true);
    assert.equal(isAllowedOrigin('http://127.0.0.1:5000', 5000), true);
    assert.equal(isAllowedOrigin('http://localhost:5000', 5000), true);
    assert.equal(isAllowedOrigin('https://evil.example', 5000), false);
    assert.equal(isAllowedOrigin('http://127.0.0.1:5001', 5000), false);
    assert.equal(isAllowedOrigin('null', 5000), false);
  });
});
