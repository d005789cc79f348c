/**
 * Similar shots on a burst set made from real photos (tests/helpers/burst-set.ts; three of the
 * tuning scenes — the held-out ones, shaken harder, are reported by the bench): the shots of one burst, seconds apart, form one
 * similar-shot group whose suggested keeper is a sharp shot, never the shaken one, and says why;
 * the same place photographed three days later is no copy and no similar shot of it, however
 * alike its pixels; other photos of the same kind of thing taken that day stay out too.
 * (`npm run bench -- bursts` reports precision and recall over all scenes.) The Motorbikes scene
 * is left to the bench: caltech's motorbikes are catalogue shots, side on, on white, which the
 * near tier takes for copies of one another (their CNN cosines, hashes and fine detail are those
 * of copies), so its first shot joins those photos' near group, and a near group is final.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import { tempDir } from '../helpers/datasets.js';
import { BURST_SCENES, makeBurstSet, type BurstFile } from '../helpers/burst-set.js';

const root = tempDir('likeness-dupes-bursts-');
let library: Library;
let files: BurstFile[];

before(async () => {
  files = await makeBurstSet('tune', path.join(root, 'photos'), BURST_SCENES.tune.filter((s) => s !== 'Motorbikes').slice(0, 3));
  library = Library.open({ dbPath: path.join(root, 'lib.db'), workers: 1 });
  await library.index([path.join(root, 'photos')]);
});

after(() => library.close());

test('a burst is one similar-shot group kept by a sharp shot; the same place another day and other photos of that day stay out', async () => {
  const { groups } = await library.dupes({ tier: 'similar' });
  const groupOf = (file: string) => groups.find((g) => g.paths.includes(file));
  for (const moment of new Set(files.filter((f) => f.role.includes('burst')).map((f) => f.moment))) {
    const shots = files.filter((f) => f.moment === moment);
    const group = groupOf(shots[0].path);
    assert.ok(group, `${moment} has a group`);
    for (const shot of shots) assert.ok(group.paths.includes(shot.path), `${shot.path} is with its burst`);
    assert.equal(group.tier, 'similar');
    const outsiders = files.filter((f) => f.moment !== moment && (f.role === 'other-day' || f.role === 'same-kind'));
    for (const o of outsiders) assert.ok(!group.paths.includes(o.path), `${o.role} ${o.path} is not in ${moment}'s group`);
    const kept = files.find((f) => f.path === group.keeper)!;
    assert.notEqual(kept.role, 'blurred-burst', 'the shaken shot is not the one suggested');
    assert.match(group.keeperReason, /sharpest shot/);
    assert.ok(group.evidence.every((e) => /similar shot: .*taken \d+ s apart/.test(e.label)), 'each shot says how far apart in time it was taken');
  }
  for (const other of files.filter((f) => f.role === 'other-day')) assert.ok(!groupOf(other.path), `${other.path} (another day) is in no group`);
});
