/** The contract's runtime validation: every call has a schema, and malformed requests are refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CALL_NAMES, isCallName, MAX_IMAGE_BYTES } from '../../preload/contract.js';
import { createDispatch, validateRequest } from '../../main/api/dispatch.js';
import { ApiError } from '../../main/api/errors.js';

const ok = (call: string, req: unknown) => assert.equal(validateRequest(call, req).ok, true, `${call} should accept ${JSON.stringify(req)}`);
const bad = (call: string, req: unknown) => {
  const r = validateRequest(call, req);
  assert.equal(r.ok, false, `${call} should refuse ${JSON.stringify(req)}`);
  if (!r.ok) assert.match(r.error.code, /invalid-request|unknown-call/);
};

describe('contract', () => {
  // One schema per call and nothing else, and CALL_NAMES naming every call, the compiler checks
  // (schemas.ts and contract.ts); that no name is listed twice, it does not.
  it('lists every call once', () => {
    assert.equal(new Set(CALL_NAMES).size, CALL_NAMES.length);
  });

  it('knows its call names', () => {
    assert.equal(isCallName('similar'), true);
    assert.equal(isCallName('__proto__'), false);
    assert.equal(isCallName('constructor'), false);
    assert.equal(isCallName(42), false);
  });

  it('refuses unknown calls', () => {
    const r = validateRequest('dropTables', {});
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'unknown-call');
  });

  it('accepts empty requests for calls without parameters, refuses extra keys', () => {
    ok('status', {});
    ok('status', undefined);
    bad('status', { extra: 1 });
    bad('appInfo', { __proto__: { admin: true }, x: 1 });
  });

  it('validates listPhotos and timeline', () => {
    ok('listPhotos', { offset: 0, limit: 100, sort: 'date', order: 'desc' });
    ok('listPhotos', { folder: '/photos/2024' });
    bad('listPhotos', { limit: 0 });
    bad('listPhotos', { limit: 1e9 });
    bad('listPhotos', { offset: -1 });
    bad('listPhotos', { offset: 1.5 });
    bad('listPhotos', { sort: 'size; DROP TABLE files' });
    bad('listPhotos', { folder: 'relative/path' });
    bad('listPhotos', { folder: '/photos\0/x' });
    bad('timeline', { order: 'sideways' });
  });

  it('validates ids', () => {
    ok('photo', { id: 3 });
    bad('photo', { id: '3' });
    bad('photo', { id: 0 });
    bad('photo', { id: -1 });
    bad('photo', { id: 2.5 });
    bad('photo', { id: Number.POSITIVE_INFINITY });
    bad('photo', {});
    ok('similar', { ids: [1, 2], k: 20 });
    bad('similar', { ids: [] });
    bad('similar', { ids: [1], k: 0 });
    bad('similar', { ids: [1], k: 100000 });
    bad('similar', { paths: ['/etc/passwd'] });
  });

  it('validates reverse image search uploads', () => {
    // The file's bytes, as they are (the body over HTTP, a Uint8Array over IPC): never base64.
    ok('similarToImage', { image: Buffer.from('not really a jpeg') });
    ok('similarToImage', { image: new Uint8Array([0xff, 0xd8, 0xff]), k: 5 });
    bad('similarToImage', { image: Buffer.from('not really a jpeg').toString('base64') });
    bad('similarToImage', { image: 'data:image/png;base64,AAAA' });
    bad('similarToImage', { image: new Uint8Array(0) });
    bad('similarToImage', { image: '' });
    bad('similarToImage', { image: 12 });
    // At the limit and one byte over (checked directly: the helpers print the request).
    assert.equal(validateRequest('similarToImage', { image: new Uint8Array(MAX_IMAGE_BYTES) }).ok, true);
    const over = validateRequest('similarToImage', { image: new Uint8Array(MAX_IMAGE_BYTES + 1) });
    assert.equal(over.ok, false);
    assert.match(over.ok ? '' : over.error.message, /image: the image is over 48 MB/);
  });

  it('validates duplicate decisions', () => {
    ok('resolveDupes', { decisions: [{ keep: [1], trash: [2, 3] }] });
    bad('resolveDupes', { decisions: [] });
    bad('resolveDupes', { decisions: [{ keep: [1], trash: [] }] });
    bad('resolveDupes', { decisions: [{ keep: [1], trash: [1] }] });
    bad('resolveDupes', { decisions: [{ keep: [1], trash: [2], also: true }] });
    ok('notDuplicates', { ids: [1, 2] });
    bad('notDuplicates', { ids: [1] });
    ok('dupes', { tiers: ['exact', 'similar'] });
    bad('dupes', { tiers: ['maybe'] });
  });

  it('validates search', () => {
    ok('search', { text: 'red car', folder: '/p', from: '2024-01-01', to: '2024-12-31', tags: ['cars'], like: [4], limit: 50 });
    bad('search', { from: '01/02/2024' });
    bad('search', { from: '2020-13-45' });
    bad('search', { to: '2023-02-30' });
    ok('search', { to: '2024-02-29' });
    bad('search', { text: 'x'.repeat(501) });
    bad('search', { tags: [''] });
    bad('search', { tags: ['a\u0007b'] });
  });

  it('validates tags, roots and settings', () => {
    ok('tag', { ids: [1], tags: ['beach'] });
    bad('tag', { ids: [1], tags: [] });
    bad('tag', { ids: [1], tags: ['x'.repeat(65)] });
    ok('addRoot', { path: '/home/me/Pictures' });
    ok('addRoot', { path: '../../etc' }); // refused by the handler, in plain words (api-handlers)
    bad('addRoot', { path: 'a\0b' });
    bad('addRoot', { path: '' });
    ok('updateSettings', { duplicates: { similarCosine: 0.9, near: 0.3, similarSeconds: 120 } });
    ok('updateSettings', { engine: 'onnx' });
    bad('updateSettings', { engine: 'cuda' });
    bad('updateSettings', { duplicates: { similarCosine: 2 } });
    bad('updateSettings', { duplicates: { near: -1 } });
    bad('updateSettings', { duplicates: { unknown: 1 } });
  });
});

describe('dispatch', () => {
  it('validates before calling the handler and answers envelopes', async () => {
    let called = 0;
    const dispatch = createDispatch({
      photo: ({ id }) => {
        called++;
        if (id === 404) throw new ApiError('not-found', 'photo 404 not found');
        if (id === 500) throw new Error('disk on fire');
        return null;
      },
    });
    assert.deepEqual(await dispatch('photo', { id: 1 }), { ok: true, value: null });
    assert.equal(called, 1);
    const invalid = await dispatch('photo', { id: 'x' });
    assert.equal(invalid.ok, false);
    assert.equal(called, 1, 'an invalid request never reaches its handler');
    const missing = await dispatch('photo', { id: 404 });
    assert.deepEqual(missing, { ok: false, error: { code: 'not-found', message: 'photo 404 not found' } });
    const internal = await dispatch('photo', { id: 500 });
    assert.equal(internal.ok, false);
    if (!internal.ok) assert.equal(internal.error.code, 'internal');
    const unhandled = await dispatch('status', {});
    assert.equal(unhandled.ok, false);
    if (!unhandled.ok) assert.equal(unhandled.error.code, 'unsupported');
  });
});
