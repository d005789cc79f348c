/**
 * Rules of the core's resolve, whoever calls it (CLI, API, UI): a reference folder's photo is the
 * keeper of its group and is never trashed; the trashed copies' tags, captions and "not
 * duplicates" decisions go to the photo that stays. Real ferrari-100 photos and edited copies.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ferrariPhotos, tempDir } from '../helpers/datasets.js';
import { runCli } from '../helpers/cli.js';
import { useTrashSandbox } from '../helpers/trash-sandbox.js';
import { Library } from '../../main/core/library.js';
import { createApi } from '../../main/api/handlers.js';

const root = tempDir('likeness-dupes-ref-');
const photos = path.join(root, 'photos');
const card = path.join(photos, 'card');
const db = path.join(root, 'lib.db');
useTrashSandbox(root); // for the whole file: this process and the CLI it runs

const likeness = (args: string[]) => runCli(args, { env: process.env });

describe('reference folders and carry-over, in the core', () => {
  const [a, b] = ferrariPhotos().filter((_, i) => i % 25 === 0);
  const original = path.join(photos, 'originals', 'a.jpg');
  const small = path.join(card, 'a-small.jpg');
  const keeper = path.join(photos, 'originals', 'b.jpg');
  const copy = path.join(photos, 'edits', 'b-q30.jpg');
  const other = path.join(photos, 'edits', 'b-bright.jpg');
  let library: Library;

  before(async () => {
    for (const dir of ['originals', 'edits', 'card']) fs.mkdirSync(path.join(photos, dir), { recursive: true });
    fs.copyFileSync(a, original);
    // A half-size copy: without the reference rule the 1024-px original is the keeper.
    fs.writeFileSync(small, await sharp(a).resize({ width: 512 }).jpeg({ quality: 90 }).toBuffer());
    fs.copyFileSync(b, keeper);
    fs.writeFileSync(copy, await sharp(b).jpeg({ quality: 30 }).toBuffer());
    fs.writeFileSync(other, await sharp(b).modulate({ brightness: 1.15 }).jpeg({ quality: 90 }).toBuffer());
    const r = await likeness(['index', photos, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => library?.close());

  test('the CLI keeps the reference folders in the library; the keeper is the reference photo', async () => {
    const before = JSON.parse((await likeness(['dupes', '--db', db, '--json'])).stdout) as { keeper: string; paths: string[]; keeperReason: string }[];
    assert.equal(before.find((g) => g.paths.includes(small))?.keeper, original, 'without a reference folder the larger original is kept');
    const add = await likeness(['dupes', 'reference', 'add', card, '--db', db, '--json']);
    assert.equal(add.code, 0, add.stderr);
    assert.deepEqual(JSON.parse(add.stdout), [card]);
    assert.equal((await likeness(['dupes', 'reference', '--db', db])).stdout.trim(), card);
    const groups = JSON.parse((await likeness(['dupes', '--db', db, '--json'])).stdout) as { keeper: string; paths: string[]; keeperReason: string }[];
    const group = groups.find((g) => g.paths.includes(small))!;
    assert.equal(group.keeper, small);
    assert.equal(group.keeperReason, 'in a reference folder (card): always kept');
    const bad = await likeness(['dupes', 'reference', 'remove', path.join(root, 'nowhere'), '--db', db]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not a reference folder/);
  });

  test('the API reads and writes the same setting', async () => {
    library = Library.open({ dbPath: db });
    const api = createApi({ library, dbPath: db, thumbnailDir: path.join(root, 'thumbs'), host: { mode: 'web' }, legacySettingsFile: null });
    assert.deepEqual((await api.handlers.settings(undefined as never)).referenceFolders, [card]);
    await api.handlers.updateSettings({ referenceFolders: [card, path.join(photos, 'edits')] });
    assert.deepEqual(library.referenceFolders(), [card, path.join(photos, 'edits')].sort());
    await api.handlers.updateSettings({ referenceFolders: [card] });
    assert.deepEqual(library.referenceFolders(), [card]);
    // Folders an earlier version kept in the front's settings file move to the core once.
    library.setReferenceFolders([]);
    const file = path.join(root, 'old-settings.json');
    fs.writeFileSync(file, JSON.stringify({ engine: 'auto', referenceFolders: [card] }));
    createApi({ library, dbPath: db, thumbnailDir: path.join(root, 'thumbs'), host: { mode: 'web' }, legacySettingsFile: file });
    assert.deepEqual(library.referenceFolders(), [card]);
  });

  test('a resolve never trashes a reference photo, even when asked to', async () => {
    const answer = await library.resolveDupes([{ keep: [original], trash: [small] }]);
    assert.equal(answer.trashed, 0);
    assert.deepEqual(answer.failed.map((f) => f.path), [small]);
    assert.match(answer.failed[0].reason, /in a reference folder \(.*card\)/);
    assert.ok(fs.existsSync(small));
  });

  test('tags, caption and "not duplicates" decisions of a trashed copy go to the keeper', async () => {
    const idOf = (file: string) => library.photoAt(file)!.id;
    library.tag(idOf(copy), ['red car']);
    library.caption(idOf(copy), 'at the show');
    const grouped = (await library.dupes()).groups.find((g) => g.paths.includes(keeper))!;
    assert.ok(grouped.paths.includes(other), 'the keeper and the brightened copy are one group before');
    library.notDuplicates([idOf(copy), idOf(other)]);
    const answer = await library.resolveDupes([{ keep: [keeper], trash: [copy] }]);
    assert.deepEqual(answer.paths, [copy], JSON.stringify(answer.failed));
    assert.deepEqual(library.tagsOf(idOf(keeper)), ['red car']);
    assert.equal(library.captionOf(idOf(keeper)), 'at the show');
    const after = (await library.dupes({ tier: 'similar' })).groups;
    assert.ok(!after.some((g) => g.paths.includes(keeper) && g.paths.includes(other)), 'the copy was "not a duplicate" of it: neither is its keeper');
    await library.undoLastResolve();
  });
});
