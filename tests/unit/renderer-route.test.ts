/** The URL hash routes of the renderer (renderer/src/app/route.ts): parsing, writing, round trips. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHash, toHash, type Route } from '../../renderer/src/app/route.js';

describe('parseHash', () => {
  it('reads each view', () => {
    assert.deepEqual(parseHash('#/duplicates'), { view: 'duplicates' });
    assert.deepEqual(parseHash('#/image-search'), { view: 'image-search' });
    assert.deepEqual(parseHash('#/settings'), { view: 'settings' });
    assert.deepEqual(parseHash('#/things'), { view: 'things' });
    assert.deepEqual(parseHash('#/clusters'), { view: 'clusters' });
    assert.deepEqual(parseHash('#/clusters/2'), { view: 'clusters', cluster: 2 });
    assert.deepEqual(parseHash('#/people/7'), { view: 'people', person: 7 });
    assert.deepEqual(parseHash('#/similar?ids=3,9'), { view: 'similar', ids: [3, 9] });
    assert.deepEqual(parseHash('#/search?q=red%20car'), { view: 'search', q: 'red car' });
    assert.deepEqual(parseHash('#/search'), { view: 'search', q: undefined });
    assert.deepEqual(parseHash('#/library?folder=%2Fphotos%2Fa%20b'), { view: 'library', folder: '/photos/a b' });
  });

  it('an empty or unknown hash is the library', () => {
    for (const hash of ['', '#', '#/', '#/library', '#/nowhere', '#/LIBRARY', 'garbage']) {
      assert.deepEqual(parseHash(hash), { view: 'library', folder: undefined }, JSON.stringify(hash));
    }
  });

  it('refuses ids that are not photos, and numbers that are not whole', () => {
    assert.deepEqual(parseHash('#/similar?ids=x,-1,0,2.5'), { view: 'library' });
    assert.deepEqual(parseHash('#/similar'), { view: 'library' });
    assert.deepEqual(parseHash('#/similar?ids=4,x,5'), { view: 'similar', ids: [4, 5] });
    assert.deepEqual(parseHash('#/clusters/abc'), { view: 'clusters' });
    assert.deepEqual(parseHash('#/people/0'), { view: 'people' });
    assert.deepEqual(parseHash('#/people/1.5'), { view: 'people' });
  });
});

describe('toHash', () => {
  it('writes each route', () => {
    assert.equal(toHash({ view: 'library' }), '#/library');
    assert.equal(toHash({ view: 'library', folder: '/photos/a b' }), '#/library?folder=%2Fphotos%2Fa+b');
    assert.equal(toHash({ view: 'similar', ids: [3, 9] }), '#/similar?ids=3,9');
    assert.equal(toHash({ view: 'clusters', cluster: 2 }), '#/clusters/2');
    assert.equal(toHash({ view: 'people' }), '#/people');
    assert.equal(toHash({ view: 'search', q: '' }), '#/search');
    assert.equal(toHash({ view: 'search', q: 'cats & dogs #1' }), '#/search?q=cats+%26+dogs+%231');
  });

  it('what it writes parses back to the same route', () => {
    const routes: Route[] = [
      { view: 'library', folder: '/photos/summer?2024/#1 & more' },
      { view: 'similar', ids: [1, 22, 333] },
      { view: 'image-search' },
      { view: 'duplicates' },
      { view: 'clusters', cluster: 12 },
      { view: 'people', person: 4 },
      { view: 'search', q: 'tag:dog "in the park" 100%' },
      { view: 'things' },
      { view: 'settings' },
    ];
    for (const route of routes) assert.deepEqual(parseHash(toHash(route)), route, toHash(route));
  });
});
