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
  assert.match(reason, /highest resolution \(1024×768, next best 512×384\)/);
});

test('at equal resolution an original format beats a derived one', () => {
  const webp = photo({ path: '/p/x.webp', format: 'webp', size: 900_000 });
  const jpeg = photo({ path: '/p/x.jpg', format: 'jpeg', size: 100_000 });
  const { keeper, reason } = chooseKeeper([webp, jpeg]);
  assert.equal(keeper, jpeg);
  assert.match(reason, /original format \(jpeg\) over derived \(webp\)/);
  assert.ok(isOriginalFormat('heif') && isOriginalFormat('JPEG') && !isOriginalFormat('png') && !isOriginalFormat(null));
});

test('then richer EXIF, then the larger file, then the oldest', () => {
  const withExif = photo({ path: '/p/e.jpg', camera: 'Nikon', takenAt: '2021-05-01T10:00:00Z', size: 1 });
  const bare = photo({ path: '/p/b.jpg', size: 999_999 });
  assert.equal(chooseKeeper([bare, withExif]).keeper, withExif);
  assert.match(chooseKeeper([bare, withExif]).reason, /richer EXIF \(2 of 4 fields, next best 0\)/);

  const larger = photo({ path: '/p/l.jpg', size: 400_000 });
  const smaller = photo({ path: '/p/s.jpg', size: 200_000 });
  assert.equal(chooseKeeper([smaller, larger]).keeper, larger);
  assert.match(chooseKeeper([smaller, larger]).reason, /larger file/);

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
