/**
 * `resolveDuplicates` never acts on a stale index or through another path to the keeper: files
 * whose bytes changed since indexing (even with the same size and time), a keeper that changed, a
 * symlink and its target, one file seen through a symlinked folder. Undo takes a file back from
 * where the journal put it. A full trash disk (a real tmpfs) stops the resolution cleanly.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { resolveDuplicates } from '../../main/core/duplicates/duplicates-service.js';
import { trashFiles, undoLastTrash } from '../../main/core/trash/trash-service.js';
import { openDatabase, type Db } from '../../main/core/store/database.js';
import { tempDir } from '../helpers/datasets.js';
import { useTrashSandbox } from '../helpers/trash-sandbox.js';

const sha1 = (file: string) => crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');
let root: string;
let trashDir: string;
let db: Db;
let restoreTrash: () => void;

beforeEach(() => {
  root = tempDir('likeness-resolve-safety-');
  ({ trashDir, restore: restoreTrash } = useTrashSandbox(root));
  db = openDatabase(path.join(root, 'lib.db'));
});
afterEach(() => {
  db.close();
  restoreTrash();
});

function photo(name: string, content: string | Buffer): string {
  const file = path.join(root, 'photos', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  fs.utimesSync(file, WHEN, WHEN); // whole seconds, so that a rewrite can put the very same time back
  return file;
}

const WHEN = 1_700_000_000;

/** The row an index pass leaves for the file at `file` (as it is now). */
function index(file: string): void {
  const stat = fs.statSync(file);
  db.prepare("INSERT INTO files (path, size, mtime_ms, status, content_hash, added_at) VALUES (?, ?, ?, 'indexed', ?, 1)").run(
    file,
    stat.size,
    Math.floor(stat.mtimeMs),
    sha1(file),
  );
}

/** Overwrites a file with other bytes of the same length, keeping its modification time. */
function overwriteKeepingSizeAndTime(file: string): void {
  const bytes = fs.readFileSync(file);
  bytes[bytes.length >> 1] ^= 0xff;
  fs.writeFileSync(file, bytes);
  fs.utimesSync(file, WHEN, WHEN);
}

const inTrash = () => (fs.existsSync(path.join(trashDir, 'files')) ? fs.readdirSync(path.join(trashDir, 'files')) : []);

test('a file to trash that changed since indexing is refused, even with the same size and time', async () => {
  const keep = photo('a.jpg', 'the same photo');
  const copy = photo('a copy.jpg', 'the same photo');
  const other = photo('b.jpg', 'second photo');
  const otherCopy = photo('b copy.jpg', 'second photo');
  [keep, copy, other, otherCopy].forEach(index);
  overwriteKeepingSizeAndTime(copy); // now a unique photo
  fs.writeFileSync(otherCopy, 'a different, longer photo'); // size and time differ

  const answer = await resolveDuplicates(db, [
    { keep: [keep], trash: [copy] },
    { keep: [other], trash: [otherCopy] },
  ]);
  assert.equal(answer.trashed, 0);
  assert.deepEqual(inTrash(), []);
  assert.match(answer.failed.find((f) => f.path === copy)!.reason, /content changed since it was indexed/);
  assert.match(answer.failed.find((f) => f.path === otherCopy)!.reason, /changed on disk since it was indexed/);
  assert.ok(fs.existsSync(copy) && fs.existsSync(otherCopy));
  assert.equal(answer.canUndo, false);
});

test('a keeper that no longer holds the indexed content refuses its whole group', async () => {
  const keep = photo('a.jpg', 'the same photo');
  const copy = photo('a copy.jpg', 'the same photo');
  const fine = photo('c.jpg', 'third photo');
  const fineCopy = photo('c copy.jpg', 'third photo');
  [keep, copy, fine, fineCopy].forEach(index);
  overwriteKeepingSizeAndTime(keep); // the copy is now the last one of the indexed content

  const answer = await resolveDuplicates(db, [
    { keep: [keep], trash: [copy] },
    { keep: [fine], trash: [fineCopy] },
  ]);
  assert.deepEqual(answer.paths, [fineCopy], 'only the group with an intact keeper is resolved');
  assert.match(answer.failed.find((f) => f.path === copy)!.reason, /kept copy is not what the index says.*content changed/);
  assert.equal(sha1(copy), crypto.createHash('sha1').update('the same photo').digest('hex'));
});

test('a symlink and its target are one photo: neither is trashed for the other', async () => {
  const target = photo('real.jpg', 'one photo');
  const link = path.join(root, 'photos', 'link.jpg');
  fs.symlinkSync(target, link);
  index(target);
  index(link);
  const keepLink = await resolveDuplicates(db, [{ keep: [link], trash: [target] }]);
  assert.equal(keepLink.trashed, 0);
  assert.match(keepLink.failed[0].reason, /is the kept file .*link\.jpg itself, reached by another path/);
  const keepTarget = await resolveDuplicates(db, [{ keep: [target], trash: [link] }]);
  assert.equal(keepTarget.trashed, 0);
  assert.match(keepTarget.failed[0].reason, /symbolic link/);
  assert.equal(fs.readFileSync(link, 'utf8'), 'one photo', 'the link still shows its photo');
  assert.deepEqual(inTrash(), []);
});

test('one file seen through a symlinked folder is never trashed as a copy of itself', async () => {
  const file = photo('album/x.jpg', 'one photo');
  fs.symlinkSync(path.join(root, 'photos', 'album'), path.join(root, 'photos', 'album-link'));
  const alias = path.join(root, 'photos', 'album-link', 'x.jpg');
  index(file);
  index(alias);
  for (const [keep, trash] of [
    [file, alias],
    [alias, file],
  ]) {
    const answer = await resolveDuplicates(db, [{ keep: [keep], trash: [trash] }]);
    assert.equal(answer.trashed, 0);
    assert.match(answer.failed[0].reason, /itself, reached by another path/);
  }
  assert.equal(fs.readFileSync(file, 'utf8'), 'one photo');
});

test('undo takes a file back from where the journal put it, whatever hash was recorded', async () => {
  const file = photo('a.jpg', 'bytes the index never saw');
  db.prepare("INSERT INTO files (path, size, mtime_ms, status, content_hash, added_at) VALUES (?, 1, 1, 'indexed', ?, 1)").run(file, 'f'.repeat(40));
  const out = await trashFiles(db, [file]);
  assert.deepEqual(out.trashed, [file]);
  const undo = await undoLastTrash(db);
  assert.deepEqual(undo.restored, [file]);
  assert.equal(fs.readFileSync(file, 'utf8'), 'bytes the index never saw');
  assert.deepEqual(inTrash(), []);
});

/** A tmpfs of `size` at `dir`, or null when this machine does not let us mount one (not root). */
function mountTmpfs(dir: string, size: string): (() => void) | null {
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return () => execFileSync('umount', [dir]);
}

test('a full trash disk (a real tmpfs) stops the resolution: no empty .trashinfo, no partial copy, the rest stays put', async (t) => {
  // The photos on a volume of their own, whose trash (.Trash-$UID at its top, where the
  // freedesktop rules send them) is a second, small tmpfs: each move is a copy onto a disk that fills.
  const volume = path.join(root, 'photos');
  const unmountVolume = mountTmpfs(volume, '4m');
  if (!unmountVolume) return t.skip('cannot mount a tmpfs here (needs root)');
  trashDir = path.join(volume, `.Trash-${process.getuid!()}`);
  const unmountTrash = mountTmpfs(trashDir, '96k')!;
  const unmount = () => {
    unmountTrash();
    unmountVolume();
  };
  try {
    const requests = [];
    for (let i = 0; i < 5; i++) {
      const bytes = crypto.randomBytes(40_000);
      const keep = photo(`p${i}.jpg`, bytes);
      const copy = photo(`p${i} copy.jpg`, bytes);
      index(keep);
      index(copy);
      requests.push({ keep: [keep], trash: [copy] });
    }
    const answer = await resolveDuplicates(db, requests);
    assert.equal(answer.trashed, 2, 'two 40 KB copies fit in 96 KB, the third does not');
    assert.match(answer.stopped ?? '', /is full, so the resolution stopped/);
    assert.equal(answer.failed.length, 3);
    for (const f of answer.failed) assert.match(f.reason, /not trashed: the disk holding .* is full/);
    const infos = fs.readdirSync(path.join(trashDir, 'info'));
    assert.equal(infos.length, 2, 'a .trashinfo only for what is in the trash');
    for (const info of infos) assert.match(fs.readFileSync(path.join(trashDir, 'info', info), 'utf8'), /^\[Trash Info\]\nPath=/);
    const files = inTrash();
    assert.equal(files.length, 2, 'no partial copy left');
    for (const f of files) assert.equal(fs.statSync(path.join(trashDir, 'files', f)).size, 40_000);
    for (const r of requests.slice(2)) assert.ok(fs.existsSync(r.trash[0]), 'what was not trashed stays in place');
    assert.equal((db.prepare("SELECT COUNT(*) AS n FROM trash_entries WHERE state <> 'done'").get() as { n: number }).n, 0, 'no intent left');

    // Even the .trashinfo does not fit: nothing at all is left behind.
    fs.writeFileSync(path.join(trashDir, 'filler'), Buffer.alloc(0));
    try {
      for (;;) fs.appendFileSync(path.join(trashDir, 'filler'), Buffer.alloc(4096));
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
    }
    const more = await resolveDuplicates(db, requests.slice(2));
    assert.equal(more.trashed, 0);
    assert.match(more.stopped ?? '', /full/);
    assert.equal(fs.readdirSync(path.join(trashDir, 'info')).length, 2, 'no empty .trashinfo');
    assert.equal(inTrash().length, 2);

    fs.rmSync(path.join(trashDir, 'filler'));
    const undo = await undoLastTrash(db); // the second resolution moved nothing and left no batch: this undoes the first
    assert.deepEqual(undo.restored.sort(), requests.slice(0, 2).map((r) => r.trash[0]).sort());
    for (const r of requests) assert.equal(sha1(r.trash[0]), sha1(r.keep[0]), 'every copy back, intact');
    assert.deepEqual(inTrash(), []);
  } finally {
    unmount();
  }
});
