/**
 * The copies people really have, found as duplicates through the real Library on caltech photos:
 * a copy rotated by 90° and by 180° (baked into the pixels), a mirrored one, a greyscale one and
 * one sent through a messenger (downsized, JPEG quality 50) land in one group with their original,
 * and each member says how it relates ("same picture rotated 90°…", "same picture rotated 90°,
 * greyscale" for a turned greyscale copy); another photo of the same
 * category does not join. With the view signals switched off (today's signals only), the
 * rotated copies are not found: the check that this test tests the new signals.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import { DATASETS, tempDir } from '../helpers/datasets.js';
import { greyscale, messenger, mirrored, rotated } from '../helpers/everyday-edits.js';

const root = tempDir('likeness-dupes-everyday-');
const photos = path.join(root, 'photos');
const category = path.join(DATASETS, 'caltech101-dev', 'Leopards');
const [source, otherShot] = fs.readdirSync(category).sort().map((n) => path.join(category, n));
let library: Library;
const copies: Record<string, string> = {};

before(async () => {
  fs.mkdirSync(photos, { recursive: true });
  const put = (name: string, bytes: Buffer) => {
    const file = path.join(photos, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  copies.original = put('original.jpg', fs.readFileSync(source));
  copies.other = put('other-leopard.jpg', fs.readFileSync(otherShot));
  copies.rotate90 = put('rotated-90.jpg', await rotated(source, 90));
  copies.rotate180 = put('rotated-180.jpg', await rotated(source, 180));
  copies.mirror = put('mirrored.jpg', await mirrored(source));
  copies.greyscale = put('greyscale.jpg', await greyscale(source));
  copies.messenger = put('messenger.jpg', await messenger(source, 160, 50));
  copies.turnedGrey = put('rotated-90-greyscale.jpg', await rotated(put('grey-source.png', await greyscale(source)), 90));
  fs.rmSync(path.join(photos, 'grey-source.png'));
  library = Library.open({ dbPath: path.join(root, 'lib.db'), workers: 1 });
  await library.index([photos]);
});

after(() => library.close());

test('rotated, mirrored, greyscale and messenger copies group with their original; another leopard does not', async () => {
  const { groups } = await library.dupes();
  const group = groups.find((g) => g.paths.includes(copies.original));
  assert.ok(group, 'the original has a group');
  for (const kind of ['rotate90', 'rotate180', 'mirror', 'greyscale', 'messenger', 'turnedGrey']) assert.ok(group.paths.includes(copies[kind]), `${kind} is in the group`);
  assert.ok(!groups.some((g) => g.paths.includes(copies.other)), 'another photo of the same category is in no group');
  // Every member says why, and a turned one says how it is turned.
  const keeperId = group.keeperId;
  const idOf = (file: string) => group.members.find((m) => m.path === file)!.id;
  for (const e of group.evidence) assert.ok(e.a === keeperId && e.label.length > 0);
  const labelOf = (file: string) => group.evidence.find((e) => e.b === idOf(file) || e.a === idOf(file))?.label ?? '';
  if (group.keeper === copies.original) {
    assert.match(labelOf(copies.rotate90), /same picture rotated 90°/);
    assert.match(labelOf(copies.rotate180), /same picture rotated 180°/);
  } else {
    assert.match(labelOf(copies.rotate180), /rotated/);
  }
  // The filters show too (looks.ts): a greyscale copy says so against a colour keeper, a copy in colour does not.
  const memberLabel = (file: string) => group.evidence.find((e) => e.b === idOf(file))?.label ?? '';
  assert.ok(![copies.greyscale, copies.turnedGrey].includes(group.keeper), 'a colour photo is kept');
  assert.match(memberLabel(copies.greyscale), /^same picture( rotated \d+°)?, greyscale:/);
  assert.match(memberLabel(copies.turnedGrey), /^same picture( rotated \d+°)?, greyscale:/);
  assert.deepEqual(group.evidence.find((e) => e.b === idOf(copies.greyscale))?.filters, ['greyscale']);
  for (const kind of ['original', 'rotate90', 'rotate180', 'mirror', 'messenger']) {
    if (copies[kind] !== group.keeper) assert.doesNotMatch(memberLabel(copies[kind]), /greyscale|sepia|vivid|contrast/, kind);
  }
});

test('with the view signals off (today\'s signals only) the rotated copies are missed', async () => {
  library.setDuplicateThresholds({ viewSignals: 0 });
  try {
    const { groups } = await library.dupes();
    const group = groups.find((g) => g.paths.includes(copies.original));
    assert.ok(!group?.paths.includes(copies.rotate90), 'a 90° copy is not found by the upright signals alone');
  } finally {
    library.setDuplicateThresholds({ viewSignals: 1 });
  }
});
