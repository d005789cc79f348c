/**
 * `dupes resolve` through the CLI on real photos, against an index that went stale, and with
 * symlinks: two copies are indexed, then one is overwritten with another photo (or the keeper
 * is): nothing unique is trashed and the refusal says why. A symlink and its target, and a file
 * reached through a symlinked folder, are one photo: never a duplicate group.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ferrariPhotos, tempDir } from '../helpers/datasets.js';
import { runCli } from '../helpers/cli.js';
import { trashSandbox } from '../helpers/trash-sandbox.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const root = tempDir('likeness-dupes-stale-');
const photos = path.join(root, 'photos');
const other = path.join(root, 'other');
const db = path.join(root, 'lib.db');
const env = { ...process.env, ...trashSandbox(root).env };
const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const likeness = (args: string[]) => runCli([...args, '--db', db], { env });

interface Group {
  keeper: string;
  paths: string[];
}

test('resolve re-checks every file and keeper; symlinks are one photo with their target', { timeout: 180_000 }, async () => {
  const source = ferrariPhotos(8);
  fs.mkdirSync(photos, { recursive: true });
  fs.mkdirSync(other, { recursive: true });
  const put = (name: string, from: string) => {
    const file = path.join(photos, name);
    fs.copyFileSync(from, file);
    return file;
  };
  for (const [i, name] of ['a', 'b', 'c'].entries()) {
    put(`${name}.jpg`, source[i]);
    put(`${name} copy.jpg`, source[i]);
  }
  const real = put('s.jpg', source[3]);
  fs.symlinkSync(real, path.join(photos, 's link.jpg'));
  fs.copyFileSync(source[4], path.join(other, 'o.jpg'));
  fs.symlinkSync(other, path.join(photos, 'linked')); // a folder of the other root, inside this one

  const indexed = await likeness(['index', photos, other]);
  assert.equal(indexed.code, 0, indexed.stderr);
  const status = JSON.parse((await likeness(['status', '--json'])).stdout) as { indexed: number };
  assert.equal(status.indexed, 8, 'one entry per file: the symlink and the symlinked folder add none');
  assert.equal((await likeness(['index', photos])).code, 0, 'a pass over one root only');
  const afterOneRoot = JSON.parse((await likeness(['status', '--json'])).stdout) as { indexed: number };
  assert.equal(afterOneRoot.indexed, 8, 'the symlinked folder of the other root adds nothing either');

  const listed = await likeness(['dupes', '--tier', 'exact', '--json']);
  const groups = JSON.parse(listed.stdout) as Group[];
  assert.deepEqual(groups.map((g) => path.basename(g.keeper).replace(' copy', '')).sort(), ['a.jpg', 'b.jpg', 'c.jpg'], 'no symlink pair among the groups');
  const group = (name: string) => groups.find((g) => g.paths.includes(path.join(photos, `${name}.jpg`)))!;
  const trashedOf = (g: Group) => g.paths.find((p) => p !== g.keeper)!;

  // a: the copy to be trashed becomes another photo; b: the keeper does.
  fs.copyFileSync(source[5], trashedOf(group('a')));
  fs.copyFileSync(source[6], group('b').keeper);
  const files = fs.readdirSync(photos).map((n) => path.join(photos, n)).filter((f) => fs.lstatSync(f).isFile());
  const before = new Map(files.map((f) => [f, sha256(f)]));

  const resolved = await likeness(['dupes', 'resolve', '--tier', 'exact', '--json']);
  assert.equal(resolved.code, 1, 'some files were refused');
  const answer = JSON.parse(resolved.stdout) as { paths: string[]; failed: { path: string; reason: string }[] };
  assert.deepEqual(answer.paths, [trashedOf(group('c'))], 'only the untouched pair is resolved');
  assert.match(answer.failed.find((f) => f.path === trashedOf(group('a')))!.reason, /changed on disk since it was indexed/);
  assert.match(answer.failed.find((f) => f.path === trashedOf(group('b')))!.reason, /kept copy is not what the index says/);
  for (const [file, hash] of before) if (file !== trashedOf(group('c'))) assert.equal(sha256(file), hash, `${path.basename(file)} untouched`);

  const again = await likeness(['dupes', 'resolve', '--tier', 'exact']);
  assert.match(again.stderr, /not trashed .*a copy\.jpg|not trashed .*a\.jpg/);
  assert.match(again.stderr, /changed on disk since it was indexed/);

  const undone = await likeness(['dupes', 'undo', '--json']);
  assert.equal(undone.code, 0, undone.stderr);
  assert.deepEqual((JSON.parse(undone.stdout) as { paths: string[] }).paths, [trashedOf(group('c'))]);
  for (const [file, hash] of before) assert.equal(sha256(file), hash, `${path.basename(file)} as it was`);
});
