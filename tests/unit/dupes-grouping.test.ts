/**
 * The duplicate finder's grouping on controlled signals: exact groups by content, near pairs by
 * the combined distance, complete linkage (no A~B~C chaining when A and C are apart), "not
 * duplicates" decisions, the tier filter and the similar-shot rule with EXIF times.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDuplicates, searchVectorsOf, type DupeFile, type FinderInput } from '../../main/core/duplicates/find-duplicates.js';
import { pairKey } from '../../main/core/duplicates/decisions.js';
import { DEFAULT_THRESHOLDS } from '../../main/core/duplicates/thresholds.js';
import { popcount32, HashTable } from '../../main/core/duplicates/signals.js';
import { gaussians, l2Normalise } from '../../main/core/search/linear-algebra.js';

const DIMS = 64;
const noise = gaussians(200 * DIMS, 99);

/** A unit vector: `base` direction plus `amount` of noise stream `k`. */
function vector(base: number, k: number, amount: number): Float32Array {
  const v = new Float32Array(DIMS);
  for (let i = 0; i < DIMS; i++) v[i] = (i === base ? 1 : 0) + amount * noise[k * DIMS + i] / Math.sqrt(DIMS);
  return l2Normalise(v);
}

function file(id: number, o: Partial<DupeFile> = {}): DupeFile {
  return {
    id,
    path: `/lib/${String(id).padStart(3, '0')}.jpg`,
    contentHash: `hash${id}`,
    dhash: 'ffff0000ffff0000',
    phash: '0123456789abcdef',
    thumbnail: null,
    width: 1000,
    height: 800,
    format: 'jpeg',
    size: 100_000 + id,
    mtimeMs: 1e12,
    takenAt: null,
    camera: null,
    lens: null,
    gpsLat: null,
    ...o,
  };
}

function input(files: DupeFile[], vectors: Float32Array[], o: Partial<FinderInput> = {}): FinderInput {
  return {
    files,
    searchVectors: searchVectorsOf(vectors),
    loadRaw: (indices, into) => indices.forEach((i) => into.setUnit(i, vectors[i])),
    notDuplicates: new Set(),
    thresholds: DEFAULT_THRESHOLDS,
    maxTier: 'near',
    ...o,
  };
}

const flipBits = (hex: string, bits: number): string => {
  let v = BigInt(`0x${hex}`);
  for (let b = 0; b < bits; b++) v ^= 1n << BigInt((b * 3) % 64);
  return v.toString(16).padStart(16, '0');
};

test('popcount and hash distances', () => {
  assert.equal(popcount32(0), 0);
  assert.equal(popcount32(0xffffffff), 32);
  assert.equal(popcount32(0x80000001), 2);
  const t = new HashTable(['ffffffffffffffff', '0000000000000000', null, 'fffffffffffffff0']);
  assert.equal(t.distance(0, 1), 64);
  assert.equal(t.distance(0, 3), 4);
  assert.equal(t.distance(0, 2), 32, 'a missing hash counts as chance');
});

test('the dHash of a mirror image is predicted from the hash alone', async () => {
  const { dHashFromGrey9x8 } = await import('../../main/core/imaging/hashes.js');
  const grey = Uint8Array.from({ length: 72 }, (_, i) => (i * 37 + (i % 9) * 11) % 251); // no equal neighbours
  const mirrored = Uint8Array.from({ length: 72 }, (_, i) => grey[Math.floor(i / 9) * 9 + 8 - (i % 9)]);
  const t = new HashTable([dHashFromGrey9x8(grey), dHashFromGrey9x8(mirrored)]);
  assert.ok(t.distance(0, 1) > 16, 'a mirror image has another dHash');
  assert.equal(t.mirroredDistance(0, 1), 0);
  assert.equal(t.mirroredDistance(1, 0), 0);
});

test('exact copies group by content; near copies join; distinct photos stay apart', async () => {
  const files = [
    file(1, { contentHash: 'same' }),
    file(2, { contentHash: 'same', path: '/lib/copy/001.jpg', size: 100_001 }), // byte-identical to 1
    file(3, { dhash: flipBits('ffff0000ffff0000', 3), size: 50_000 }), // a re-encode of 1: same look, few bits off
    file(4, { dhash: '0f0f0f0f0f0f0f0f', phash: 'fedcba9876543210' }), // another picture
  ];
  const vectors = [vector(0, 0, 0), vector(0, 0, 0), vector(0, 1, 0.2), vector(5, 2, 0.2)];
  const exactOnly = await findDuplicates(input(files, vectors, { maxTier: 'exact' }));
  assert.equal(exactOnly.groups.length, 1);
  assert.equal(exactOnly.groups[0].tier, 'exact');
  assert.deepEqual(exactOnly.groups[0].members.map((i) => files[i].id).sort(), [1, 2]);

  // Byte-identical copies stay their own exact group when a near copy joins them; the near group
  // holds the one of them that the exact group keeps (1: the first by path), not both.
  const near = await findDuplicates(input(files, vectors));
  assert.deepEqual(
    near.groups.map((g) => [g.tier, g.members.map((i) => files[i].id).sort()]),
    [
      ['exact', [1, 2]],
      ['near', [1, 3]],
    ],
  );
  const [exact, reencoded] = near.groups;
  assert.equal(files[exact.keeper].id, 1);
  assert.ok(exact.evidence.length === 1 && exact.evidence[0].relation === 'exact' && /identical content/.test(exact.evidence[0].label));
  assert.equal(reencoded.evidence.length, 1, 'one line of evidence per member besides the keeper');
  assert.match(reencoded.evidence[0].label, /CNN cosine 0\.9\d\d, dHash 3\/64, pHash 0\/64/);
});

test('a near group is the same group, with the same tier, when similar shots are asked for too', async () => {
  const t0 = '2023-07-14T10:00:00.000Z';
  const files = [
    file(1, { takenAt: t0 }),
    file(2, { takenAt: t0, dhash: flipBits('ffff0000ffff0000', 2), size: 50_000 }), // a re-encode of 1
    file(3, { takenAt: '2023-07-14T10:00:04.000Z', dhash: 'ffffffff00000000', phash: 'eeeeeeeedddddddd' }), // a shot seconds later
  ];
  const vectors = [vector(0, 0, 0), vector(0, 1, 0.15), vector(0, 2, 0.3)];
  const near = await findDuplicates(input(files, vectors));
  assert.deepEqual(near.groups.map((g) => [g.tier, g.members.map((i) => files[i].id).sort()]), [['near', [1, 2]]]);
  const similar = await findDuplicates(input(files, vectors, { maxTier: 'similar' }));
  const same = similar.groups.find((g) => g.members.map((i) => files[i].id).sort().join() === '1,2');
  assert.ok(same, `the near group is still there whole: ${JSON.stringify(similar.groups.map((g) => [g.tier, g.members]))}`);
  assert.equal(same.tier, 'near', 'not re-labelled a similar shot because a third photo resembles it');
  assert.ok(!similar.groups.some((g) => g !== same && g.members.some((i) => files[i].id === 1 || files[i].id === 2)));
});

test('complete linkage: A~B and B~C do not chain A and C together when A and C are apart', async () => {
  // A and C each within the near distance of B, but not of each other (vectors along a path).
  const a = l2Normalise(Float32Array.from({ length: DIMS }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : 0)));
  const b = l2Normalise(Float32Array.from({ length: DIMS }, (_, i) => (i === 0 ? 1 : i === 1 ? 0.55 : 0)));
  const c = l2Normalise(Float32Array.from({ length: DIMS }, (_, i) => (i === 0 ? 1 : i === 1 ? 1.2 : 0)));
  const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i], 0);
  const files = [file(1), file(2), file(3)];
  const res = await findDuplicates(input(files, [a, b, c]));
  const ab = 1 - dot(a, b);
  const ac = 1 - dot(a, c);
  assert.ok(ab <= DEFAULT_THRESHOLDS.near && ac > DEFAULT_THRESHOLDS.nearBand, `premise: ${ab} near, ${ac} far`);
  assert.equal(res.groups.length, 1);
  assert.equal(res.groups[0].members.length, 2, 'B joins one of A or C, never both');
  const ids = res.groups[0].members.map((i) => files[i].id).sort();
  assert.ok(ids.includes(2) && !(ids.includes(1) && ids.includes(3)));
});

test('"not duplicates" decisions keep a pair apart, including byte-identical files', async () => {
  const files = [file(1, { contentHash: 'x' }), file(2, { contentHash: 'x' }), file(3, { dhash: flipBits('ffff0000ffff0000', 1) })];
  const v = vector(0, 0, 0);
  const vectors = [v, v, vector(0, 3, 0.1)];
  const before = await findDuplicates(input(files, vectors));
  assert.deepEqual(before.groups.map((g) => [g.tier, g.members.length]), [
    ['exact', 2],
    ['near', 2],
  ]);

  const decided = new Set([pairKey('x', 'hash3')]);
  const after = await findDuplicates(input(files, vectors, { notDuplicates: decided }));
  for (const g of after.groups) {
    const ids = g.members.map((i) => files[i].id);
    assert.ok(!(ids.includes(3) && (ids.includes(1) || ids.includes(2))), 'the dismissed pair is never grouped');
  }
  assert.deepEqual(after.groups.map((g) => g.members.map((i) => files[i].id).sort()), [[1, 2]]);

  const identical = await findDuplicates(input(files, vectors, { notDuplicates: new Set([pairKey('x', 'x'), pairKey('x', 'hash3')]) }));
  assert.equal(identical.groups.length, 0);
});

test('uncertain pairs go to the alignment check, which decides', async () => {
  // Hashes far apart (a crop moves them), CNN close: distance inside the band.
  const files = [file(1), file(2, { dhash: flipBits('ffff0000ffff0000', 20), phash: flipBits('0123456789abcdef', 20) })];
  const vectors = [vector(0, 0, 0), vector(0, 4, 0.45)];
  const premise = await findDuplicates(input(files, vectors));
  assert.equal(premise.stats.alignmentChecks, 0);
  let calls = 0;
  const yes = await findDuplicates(input(files, vectors, { align: async () => (calls++, { intensity: 0.97, detail: 0.9 }) }));
  assert.equal(calls, 1);
  assert.equal(yes.groups.length, 1);
  assert.ok(yes.groups[0].evidence[0].alignment === 0.9 && /fine detail correlates/.test(yes.groups[0].evidence[0].label));
  const no = await findDuplicates(input(files, vectors, { align: async () => ({ intensity: 0.85, detail: 0.3 }) }));
  assert.equal(no.groups.length, 0);
});

test('similar shots need the similar tier, and EXIF times close together', async () => {
  const t0 = '2023-07-14T10:00:00.000Z';
  const files = [
    file(1, { takenAt: t0, dhash: '00000000ffffffff', phash: '1111111122222222' }),
    file(2, { takenAt: '2023-07-14T10:00:05.000Z', dhash: 'ffffffff00000000', phash: 'eeeeeeeedddddddd' }),
    file(3, { takenAt: '2023-09-01T10:00:00.000Z', dhash: '0f0f0f0f0f0f0f0f', phash: 'abababababababab' }),
  ];
  const vectors = [vector(0, 0, 0.3), vector(0, 1, 0.3), vector(0, 2, 0.3)];
  const near = await findDuplicates(input(files, vectors));
  assert.equal(near.groups.length, 0, 'different hashes: not the same picture');
  const similar = await findDuplicates(input(files, vectors, { maxTier: 'similar' }));
  assert.equal(similar.groups.length, 1);
  assert.equal(similar.groups[0].tier, 'similar');
  assert.deepEqual(similar.groups[0].members.map((i) => files[i].id).sort(), [1, 2], 'the photo taken weeks later stays out');
  assert.match(similar.groups[0].evidence[0].label, /similar shot: .*taken 5 s apart/);
});

test('thresholds are settings kept in the library database; moving "near" moves the checked band', async () => {
  const { openDatabase } = await import('../../main/core/store/database.js');
  const { loadThresholds, saveThresholds } = await import('../../main/core/duplicates/thresholds.js');
  const { tempDir } = await import('../helpers/datasets.js');
  const path = await import('node:path');
  const file = path.join(tempDir(), 'lib.db');
  const db = openDatabase(file);
  assert.deepEqual(loadThresholds(db), DEFAULT_THRESHOLDS);
  const saved = saveThresholds(db, { near: DEFAULT_THRESHOLDS.near - 0.05, similarSeconds: 30 });
  assert.ok(Math.abs(saved.nearSure - (DEFAULT_THRESHOLDS.nearSure - 0.05)) < 1e-9);
  assert.ok(Math.abs(saved.nearBand - (DEFAULT_THRESHOLDS.nearBand - 0.05)) < 1e-9);
  db.close();
  const again = openDatabase(file);
  assert.equal(loadThresholds(again).similarSeconds, 30);
  assert.equal(saveThresholds(again, { neighbours: -3 }).neighbours, DEFAULT_THRESHOLDS.neighbours, 'nonsense is refused');
  again.close();
});

test('two captures (EXIF times apart) are never near copies, however alike: a burst is a similar shot, the same place another day nothing', async () => {
  // Same hashes and nearly the same vector: as near as copies get — but the camera times differ.
  const files = [
    file(1, { takenAt: '2024-05-01T09:15:00.000Z' }),
    file(2, { takenAt: '2024-05-01T09:15:01.000Z' }),
    file(3, { takenAt: '2024-05-04T10:22:17.000Z' }),
    file(4, { takenAt: '2024-05-01T09:15:00.000Z', contentHash: 'edited' }),
    file(5, { takenAt: '2024-05-01T11:15:00.000Z', contentHash: 'other-time-zone' }),
  ];
  const vectors = [vector(0, 0, 0.02), vector(0, 1, 0.02), vector(0, 2, 0.02), vector(0, 3, 0.02), vector(0, 4, 0.02)];
  const near = await findDuplicates(input(files, vectors));
  const ids = (g: { members: number[] }) => g.members.map((i) => files[i].id).sort();
  assert.deepEqual(near.groups.map((g) => [g.tier, ...ids(g)]), [['near', 1, 4, 5]], 'only the copies with the same time (or one whole hours off: a time zone) are near');
  // (Without the copies, whose near group similar shots would not absorb.)
  const shots = files.slice(0, 3);
  const similar = await findDuplicates(input(shots, vectors.slice(0, 3), { maxTier: 'similar' }));
  assert.deepEqual(similar.groups.map((g) => [g.tier, ...g.members.map((i) => shots[i].id).sort()]), [['similar', 1, 2]], 'the shot 1 s later is a similar shot, the one 3 days later is not');
});

test('a near group never holds two captures: the pairs a merge may leave unverified exclude photos whose EXIF times differ', async () => {
  // Six look-alikes without a time or at one time, and one taken 2 h 17 min later: alike enough
  // to be near to every other, but a photo with another EXIF time is another capture.
  const t0 = '2023-07-14T10:00:00.000Z';
  const files = [
    file(1, { takenAt: t0 }),
    file(2, { takenAt: '2023-07-14T12:17:00.000Z' }),
    ...[3, 4, 5, 6, 7].map((id) => file(id)),
  ];
  const vectors = files.map((f, k) => vector(0, k, f.id === 2 ? 0.25 : 0.1));
  const { groups } = await findDuplicates(input(files, vectors));
  const ids = groups.map((g) => g.members.map((i) => files[i].id));
  assert.ok(ids.some((g) => g.length >= 5), `the look-alikes form a near group: ${JSON.stringify(ids)}`);
  assert.ok(!ids.some((g) => g.includes(1) && g.includes(2)), `1 and 2 are two captures: ${JSON.stringify(ids)}`);
});
