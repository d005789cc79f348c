/** Keeper rules: resolution, then original over derived format, then EXIF, then size, then age. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseKeeper, isOriginalFormat, type KeeperFacts } from '../../main/core/duplicates/keeper.js';

const base: KeeperFacts = {
  path: '/p/a.jpg',
  width: 1024,
  height: 768,
  format: 'jpeg',
  size: 300_000,
  mtimeMs: 1_700_000_000_000,
  takenAt: null,
  camera: null,
  lens: null,
  gpsLat: null,
};
const photo = (o: Partial<KeeperFacts>): KeeperFacts => ({ ...base, ...o });

test('the highest resolution wins over everything else', () => {
  const big = photo({ path: '/p/big.webp', format: 'webp', size: 10 });
  const small = photo({ path: '/p/small.jpg', width: 512, height: 384, size: 900_000, camera: 'Canon', takenAt: '2020-01-01T00:00:00Z' });
  const { keeper, reason } = chooseKeeper([small, big]);
  assert.equal(keeper, big);
  assert.equal(reason, 'the largest picture (1024 × 768; the next is 512 × 384)');
});

test('an enlarged re-export is not the keeper: the smaller original is, and the reason says why', () => {
  // The case: a 1024 px original (465 KB) and a 3072 px upscaled re-export (1.4 MB).
  const original = photo({ path: '/p/white/3087494913.jpg', width: 1024, height: 768, size: 465_000 });
  const upscaled = photo({ path: '/p/copies/upscaled-white.jpg', width: 3072, height: 2304, size: 1_400_000 });
  const { keeper, reason } = chooseKeeper([upscaled, original]);
  assert.equal(keeper, original);
  assert.equal(reason, 'the original: the larger 3072 × 2304 copy is an enlargement of it, with no more detail');
  // A real larger original and its shrunk, recompressed copy: the larger one stays.
  const small = photo({ path: '/p/small-red.jpg', width: 600, height: 399, size: 37_000 });
  const red = photo({ path: '/p/red.jpg', width: 1024, height: 681, size: 345_000 });
  assert.equal(chooseKeeper([small, red]).keeper, red);
});

test('at equal resolution an original format beats a derived one', () => {
  const webp = photo({ path: '/p/x.webp', format: 'webp', size: 900_000 });
  const jpeg = photo({ path: '/p/x.jpg', format: 'jpeg', size: 100_000 });
  const { keeper, reason } = chooseKeeper([webp, jpeg]);
  assert.equal(keeper, jpeg);
  assert.equal(reason, 'same size; JPEG is what cameras write, WEBP a conversion');
  assert.ok(isOriginalFormat('heif') && isOriginalFormat('JPEG') && !isOriginalFormat('png') && !isOriginalFormat(null));
});

test('then richer EXIF, then the larger file, then the oldest', () => {
  const withExif = photo({ path: '/p/e.jpg', camera: 'Nikon', takenAt: '2021-05-01T10:00:00Z', size: 1 });
  const bare = photo({ path: '/p/b.jpg', size: 999_999 });
  assert.equal(chooseKeeper([bare, withExif]).keeper, withExif);
  assert.match(chooseKeeper([bare, withExif]).reason, /more of the camera's details \(2 of date, camera, lens and place; the next 0\)/);

  const larger = photo({ path: '/p/l.jpg', size: 400_000 });
  const smaller = photo({ path: '/p/s.jpg', size: 200_000 });
  assert.equal(chooseKeeper([smaller, larger]).keeper, larger);
  assert.equal(chooseKeeper([smaller, larger]).reason, 'same size and format; the least compressed (400 KB, the next 200 KB)');

  const old = photo({ path: '/p/z-old.jpg', mtimeMs: 1 });
  const recent = photo({ path: '/p/a-new.jpg', mtimeMs: 2 });
  assert.equal(chooseKeeper([recent, old]).keeper, old);
  assert.match(chooseKeeper([recent, old]).reason, /oldest/);
});

test('the choice does not depend on the order of the members', () => {
  const members = [
    photo({ path: '/p/1.webp', format: 'webp' }),
    photo({ path: '/p/2.jpg', size: 310_000 }),
    photo({ path: '/p/3.jpg', width: 800, height: 600, size: 9_000_000 }),
    photo({ path: '/p/4.png', format: 'png', size: 5_000_000 }),
  ];
  const expected = chooseKeeper(members).keeper.path;
  for (let r = 0; r < members.length; r++) {
    const rotated = [...members.slice(r), ...members.slice(0, r)];
    assert.equal(chooseKeeper(rotated).keeper.path, expected);
  }
  assert.equal(expected, '/p/2.jpg');
});
