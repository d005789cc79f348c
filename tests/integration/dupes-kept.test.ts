/**
 * A duplicates answer is kept for an unchanged library (duplicates/answer-cache.ts): asked again,
 * the same groups come back without the work; any change to what it was found from (a new photo,
 * a "not duplicates" decision, other thresholds, another question) finds them afresh.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Library } from '../../main/core/library.js';
import { ferrariPhotos, tempDir } from '../helpers/datasets.js';

process.env.LIKENESS_ANNOTATE ??= 'off';

const root = tempDir('likeness-dupes-kept-');
const photos = path.join(root, 'photos');
let library: Library;
let originals: string[];

const groupsOf = (answer: Awaited<ReturnType<Library['dupes']>>) => answer.groups.map((g) => [...g.paths].sort());
const reencode = (from: string, to: string, quality: number) => sharp(from).jpeg({ quality }).toFile(to);

before(async () => {
  fs.mkdirSync(photos, { recursive: true });
  originals = ferrariPhotos(6).map((f) => {
    const target = path.join(photos, path.basename(f));
    fs.copyFileSync(f, target);
    return target;
  });
  await reencode(originals[0], path.join(photos, 'copy-a.jpg'), 60);
  library = Library.open({ dbPath: path.join(root, 'lib.db'), workers: 1 });
  await library.index([photos]);
});

after(() => library.close());

test('an unchanged library answers duplicates from the kept answer; a change finds them afresh', { timeout: 180_000 }, async () => {
  const first = await library.dupes();
  assert.notEqual(first.stats.kept, true, 'the first answer is computed');
  const copyA = path.join(photos, 'copy-a.jpg');
  assert.ok(groupsOf(first).some((g) => g.includes(copyA) && g.includes(originals[0])), `the re-encoded copy groups: ${JSON.stringify(groupsOf(first))}`);

  const again = await library.dupes();
  assert.equal(again.stats.kept, true, 'asked again, unchanged: the kept answer');
  assert.deepEqual(again.groups, first.groups);

  // The kept answer lives beside the database: a new process (here a new Library) finds it too.
  await library.close();
  library = Library.open({ dbPath: path.join(root, 'lib.db'), workers: 1 });
  assert.equal((await library.dupes()).stats.kept, true, 'a new process reads the kept answer');

  assert.notEqual((await library.dupes({ tier: 'similar' })).stats.kept, true, 'another question is computed');

  // A new copy: found, not the old answer.
  const copyB = path.join(photos, 'copy-b.jpg');
  await reencode(originals[1], copyB, 50);
  await library.index([photos]);
  const withB = await library.dupes();
  assert.notEqual(withB.stats.kept, true);
  assert.ok(groupsOf(withB).some((g) => g.includes(copyB) && g.includes(originals[1])), `the new copy groups: ${JSON.stringify(groupsOf(withB))}`);

  // "Not duplicates": the pair is gone at once.
  library.notDuplicates([originals[1], copyB].map((file) => library.photoAt(file)!.id));
  const decided = await library.dupes();
  assert.notEqual(decided.stats.kept, true);
  assert.ok(!groupsOf(decided).some((g) => g.includes(copyB) && g.includes(originals[1])), 'a pair judged not duplicates stays apart');

  // Other thresholds: computed with them.
  library.setDuplicateThresholds({ nearSure: 0.19 });
  assert.notEqual((await library.dupes()).stats.kept, true, 'changed thresholds are a change');
});
