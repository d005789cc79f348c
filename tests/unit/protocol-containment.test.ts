/**
 * Path containment of everything the UI can load (the Electron `likeness:` protocol and the web
 * mode's /media and static routes): traversal attempts, symlinks out of a root, encoded `..`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isPathInside, isPlainAbsolutePath, parseMediaPath, resolveInside } from '../../main/api/containment.js';
import type { CoreLibrary } from '../../main/api/library-port.js';
import { resolveMedia } from '../../main/api/media.js';
import { resolveStatic } from '../../main/api/static-files.js';
import { isAppUrl, isSafeExternalUrl, routeAppUrl } from '../../main/electron/app-url.js';
import type { PhotoDetail } from '../../main/core/types.js';
import { photoDetail } from '../helpers/photo-detail.js';

let tmp: string;
let root: string;
let outside: string;
let thumbs: string;
let renderer: string;

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-contain-')));
  root = path.join(tmp, 'photos');
  outside = path.join(tmp, 'secret');
  thumbs = path.join(tmp, 'lib.db-cache', 'thumbnails');
  renderer = path.join(tmp, 'renderer');
  for (const d of [root, path.join(root, 'sub'), outside, thumbs, path.join(renderer, 'assets')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(root, 'a.jpg'), 'jpeg');
  fs.writeFileSync(path.join(root, 'sub', 'b.png'), 'png');
  fs.writeFileSync(path.join(root, 'drawing.svg'), '<svg onload="alert(1)"/>');
  fs.writeFileSync(path.join(outside, 'passwd.jpg'), 'secret');
  fs.writeFileSync(path.join(thumbs, 'a.webp'), 'webp');
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), '');
  fs.writeFileSync(path.join(renderer, '.env'), 'SECRET=1');
  fs.symlinkSync(path.join(outside, 'passwd.jpg'), path.join(root, 'link-out.jpg'));
  fs.symlinkSync(outside, path.join(root, 'dir-link'));
  fs.symlinkSync(path.join(root, 'a.jpg'), path.join(root, 'link-in.jpg'));
  fs.symlinkSync(path.join(outside, 'passwd.jpg'), path.join(renderer, 'assets', 'leak.js'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('isPathInside', () => {
  it('compares whole segments', () => {
    assert.equal(isPathInside('/photos/a.jpg', '/photos'), true);
    assert.equal(isPathInside('/photos', '/photos'), true);
    assert.equal(isPathInside('/photos-private/a.jpg', '/photos'), false);
    assert.equal(isPathInside('/etc/passwd', '/photos'), false);
    assert.equal(isPathInside('/photos/../etc/passwd', '/photos'), false);
  });

  it('refuses relative, NUL and dot-segment paths outright', () => {
    assert.equal(isPlainAbsolutePath('/photos/a.jpg'), true);
    assert.equal(isPlainAbsolutePath('photos/a.jpg'), false);
    assert.equal(isPlainAbsolutePath('/photos/../etc/passwd'), false);
    assert.equal(isPlainAbsolutePath('/photos/./a.jpg'), false);
    assert.equal(isPlainAbsolutePath('/photos/a.jpg\0.png'), false);
    assert.equal(isPlainAbsolutePath(''), false);
  });
});

describe('resolveInside', () => {
  it('serves regular files inside a root', async () => {
    assert.equal(await resolveInside([root], path.join(root, 'a.jpg')), path.join(root, 'a.jpg'));
    assert.equal(await resolveInside([root], path.join(root, 'sub', 'b.png')), path.join(root, 'sub', 'b.png'));
  });

  it('refuses traversal even when it would land inside', async () => {
    assert.equal(await resolveInside([root], `${root}/../secret/passwd.jpg`), null);
    assert.equal(await resolveInside([root], `${root}/sub/../a.jpg`), null);
    assert.equal(await resolveInside([root], `${root}/sub/..\\..\\secret\\passwd.jpg`), null);
  });

  it('refuses files outside every root', async () => {
    assert.equal(await resolveInside([root], path.join(outside, 'passwd.jpg')), null);
    assert.equal(await resolveInside([root], '/etc/passwd'), null);
    assert.equal(await resolveInside([], path.join(root, 'a.jpg')), null);
  });

  it('resolves symlinks: a link out of the root is refused, a link inside is fine', async () => {
    assert.equal(await resolveInside([root], path.join(root, 'link-out.jpg')), null);
    assert.equal(await resolveInside([root], path.join(root, 'dir-link', 'passwd.jpg')), null);
    assert.equal(await resolveInside([root], path.join(root, 'link-in.jpg')), path.join(root, 'a.jpg'));
  });

  it('refuses folders and missing files', async () => {
    assert.equal(await resolveInside([root], path.join(root, 'sub')), null);
    assert.equal(await resolveInside([root], path.join(root, 'missing.jpg')), null);
  });

  it('does not let a root prefix match a sibling folder', async () => {
    fs.mkdirSync(`${root}-evil`, { recursive: true });
    fs.writeFileSync(`${root}-evil/x.jpg`, 'x');
    assert.equal(await resolveInside([root], `${root}-evil/x.jpg`), null);
  });
});

describe('media URLs', () => {
  it('accept only /media/<kind>/<id>', () => {
    assert.deepEqual(parseMediaPath('/media/thumb/12'), { kind: 'thumb', id: 12 });
    assert.deepEqual(parseMediaPath('/media/original/7'), { kind: 'original', id: 7 });
    for (const bad of [
      '/media/thumb/0',
      '/media/thumb/012',
      '/media/thumb/-1',
      '/media/thumb/1.5',
      '/media/thumb/1/',
      '/media/thumb/../../etc/passwd',
      '/media/thumb/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/media/original/..%2F..%2Fetc%2Fpasswd',
      '/media/original/%2E%2E/1',
      '/media/file/1',
      '/media/thumb/99999999999999999999',
      '/media//thumb/1',
    ]) {
      assert.equal(parseMediaPath(bad), null, bad);
    }
  });
});

function stubPhoto(id: number, file: string, thumbnail: string | null): PhotoDetail {
  return photoDetail(id, file, { thumbnail });
}

describe('resolveMedia (what /media and likeness://app/media serve)', () => {
  const library = (photos: PhotoDetail[]) => ({ photo: (id: number) => photos.find((p) => p.id === id) ?? null, roots: () => [root] }) as unknown as CoreLibrary;

  it('serves a thumbnail from the cache and an original from a root', async () => {
    const lib = library([stubPhoto(1, path.join(root, 'a.jpg'), path.join(thumbs, 'a.webp'))]);
    assert.deepEqual(await resolveMedia(lib, thumbs, 'thumb', 1), { path: path.join(thumbs, 'a.webp'), contentType: 'image/webp' });
    assert.deepEqual(await resolveMedia(lib, thumbs, 'original', 1), { path: path.join(root, 'a.jpg'), contentType: 'image/jpeg' });
  });

  it('refuses database entries that point outside the roots or the cache', async () => {
    const lib = library([
      stubPhoto(1, path.join(outside, 'passwd.jpg'), path.join(outside, 'passwd.jpg')),
      stubPhoto(2, path.join(root, 'link-out.jpg'), null),
      stubPhoto(3, `${root}/../secret/passwd.jpg`, `${thumbs}/../../secret/passwd.jpg`),
      stubPhoto(4, path.join(root, 'drawing.svg'), null),
    ]);
    for (const id of [1, 2, 3, 4]) {
      assert.equal(await resolveMedia(lib, thumbs, 'original', id), null, `original ${id}`);
      assert.equal(await resolveMedia(lib, thumbs, 'thumb', id), null, `thumb ${id}`);
    }
    assert.equal(await resolveMedia(lib, thumbs, 'original', 99), null);
  });

  it('serves no thumbnail of a file whose real path leaves the roots (the same rule as its original)', async () => {
    fs.writeFileSync(path.join(thumbs, 'secret.webp'), 'webp of the secret');
    const lib = library([
      stubPhoto(5, path.join(root, 'link-out.jpg'), path.join(thumbs, 'secret.webp')),
      stubPhoto(6, path.join(root, 'dir-link', 'passwd.jpg'), path.join(thumbs, 'secret.webp')),
    ]);
    for (const id of [5, 6]) {
      assert.equal(await resolveMedia(lib, thumbs, 'original', id), null, `original ${id}`);
      assert.equal(await resolveMedia(lib, thumbs, 'thumb', id), null, `thumb ${id} (was served while the original was 404)`);
    }
  });

  it('still serves the thumbnail of a photo on an unplugged drive (its recorded path is inside a root)', async () => {
    const lib = library([stubPhoto(7, path.join(root, 'offline-drive', 'gone.jpg'), path.join(thumbs, 'a.webp'))]);
    assert.deepEqual(await resolveMedia(lib, thumbs, 'thumb', 7), { path: path.join(thumbs, 'a.webp'), contentType: 'image/webp' });
    assert.equal(await resolveMedia(lib, thumbs, 'original', 7), null);
  });

  it('falls back to the original while a photo has no thumbnail', async () => {
    const lib = library([stubPhoto(1, path.join(root, 'sub', 'b.png'), null)]);
    assert.deepEqual(await resolveMedia(lib, thumbs, 'thumb', 1), { path: path.join(root, 'sub', 'b.png'), contentType: 'image/png' });
  });
});

describe('renderer files', () => {
  it('serves the built renderer and nothing else', async () => {
    assert.equal((await resolveStatic(renderer, '/'))?.path, path.join(renderer, 'index.html'));
    assert.equal((await resolveStatic(renderer, '/assets/app.js'))?.contentType, 'text/javascript; charset=utf-8');
    for (const bad of ['/../secret/passwd.jpg', '/assets/../../secret/passwd.jpg', '/%2e%2e/secret/passwd.jpg', '/assets/%2e%2e%2f%2e%2e%2fsecret%2fpasswd.jpg', '/.env', '/assets/leak.js', '/assets\\..\\..\\secret', '/%00', '/%E0%A4%A']) {
      assert.equal(await resolveStatic(renderer, bad), null, bad);
    }
  });
});

describe('likeness://app URLs (Electron protocol)', () => {
  it('routes the app and its media', () => {
    assert.deepEqual(routeAppUrl('likeness://app/index.html'), { type: 'static', rawPath: '/index.html' });
    assert.deepEqual(routeAppUrl('likeness://app/'), { type: 'static', rawPath: '/' });
    assert.deepEqual(routeAppUrl('likeness://app/assets/index.js?v=1#x'), { type: 'static', rawPath: '/assets/index.js' });
    assert.deepEqual(routeAppUrl('likeness://app/media/thumb/5'), { type: 'media', kind: 'thumb', id: 5 });
  });

  it('refuses other hosts, traversal and encoded separators', () => {
    for (const bad of [
      'likeness://evil/index.html',
      'likeness://app.evil.com/index.html',
      'file:///etc/passwd',
      'https://app/index.html',
      'likeness://app/../etc/passwd',
      'likeness://app/assets/%2e%2e/%2e%2e/etc/passwd',
      'likeness://app/assets/..%2f..%2fetc%2fpasswd',
      'likeness://app/assets/%5c..%5cwin.ini',
      'likeness://app/media/original/1/../../etc',
      'likeness://app/media/original/%31',
      'likeness://app/media/original/path?/etc/passwd',
    ]) {
      assert.equal(routeAppUrl(bad), null, bad);
    }
  });

  it('allows navigation only inside the app and opens only http(s) outside', () => {
    assert.equal(isAppUrl('likeness://app/index.html#/duplicates'), true);
    assert.equal(isAppUrl('https://example.com/'), false);
    assert.equal(isAppUrl('file:///etc/passwd'), false);
    assert.equal(isSafeExternalUrl('https://example.com/docs'), true);
    assert.equal(isSafeExternalUrl('http://example.com/'), true);
    assert.equal(isSafeExternalUrl('file:///etc/passwd'), false);
    assert.equal(isSafeExternalUrl('javascript:alert(1)'), false);
    assert.equal(isSafeExternalUrl('smb://server/share'), false);
    assert.equal(isSafeExternalUrl('https://user:pw@example.com/'), false);
    assert.equal(isSafeExternalUrl('not a url'), false);
  });
});
