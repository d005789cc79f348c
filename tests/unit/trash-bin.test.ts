/**
 * The trash: files move to the freedesktop home trash (sandboxed in the test's folder) and back; a
 * freedesktop trash is searched by its .trashinfo records; a restore never overwrites and never restores other
 * content than what was trashed; the journal records one undoable batch per resolution.
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { carryOutTrash, findInFreedesktopTrash, moveToTrash, planTrash, restoreFromTrash, trashDestination } from '../../main/core/trash/trash-bin.js';
import { trashFiles, undoLastTrash } from '../../main/core/trash/trash-service.js';
import { openDatabase } from '../../main/core/store/database.js';
import { tempDir } from '../helpers/datasets.js';
import { useTrashSandbox } from '../helpers/trash-sandbox.js';

const sha1 = (file: string) => crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');
let root: string;
let trashDir: string;
let restoreTrash: () => void;

beforeEach(() => {
  root = tempDir('likeness-trash-test-');
  ({ trashDir, restore: restoreTrash } = useTrashSandbox(root));
});
afterEach(() => restoreTrash());

function photo(name: string, content: string): string {
  const file = path.join(root, 'photos', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

test('a trashed file goes to the trash folder with a .trashinfo, and comes back', async () => {
  const file = photo('été à la plage.jpg', 'pixels');
  const hash = sha1(file);
  const mtime = fs.statSync(file).mtimeMs;
  const t = await moveToTrash(file);
  assert.equal(trashDestination(), 'the trash');
  assert.equal(t.method, 'freedesktop');
  assert.ok(!fs.existsSync(file));
  assert.ok(t.trashedPath && fs.existsSync(t.trashedPath) && t.trashedPath.startsWith(path.join(trashDir, 'files')));
  const info = fs.readFileSync(t.infoPath!, 'utf8');
  assert.match(info, /^\[Trash Info\]\nPath=.*%C3%A9t%C3%A9.*\nDeletionDate=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\n$/);
  const back = await restoreFromTrash(t, hash);
  assert.equal(back, file);
  assert.equal(fs.readFileSync(file, 'utf8'), 'pixels');
  assert.equal(fs.statSync(file).mtimeMs, mtime, 'a move keeps the modification time');
  assert.ok(!fs.existsSync(t.infoPath!), 'the .trashinfo is removed');
});

test('two files of the same name both fit in the trash; a taken path restores beside it', async () => {
  const a = photo('x.jpg', 'first');
  const ta = await moveToTrash(a);
  photo('x.jpg', 'second');
  const tb = await moveToTrash(a);
  assert.notEqual(ta.trashedPath, tb.trashedPath);
  photo('x.jpg', 'a new file at the old path');
  const back = await restoreFromTrash(ta, null);
  assert.equal(back, path.join(root, 'photos', 'x (restored).jpg'));
  assert.equal(fs.readFileSync(back, 'utf8'), 'first');
  assert.equal(fs.readFileSync(a, 'utf8'), 'a new file at the old path');
});

test('the freedesktop trash is searched by Path= records, newest first, content checked', async () => {
  const original = path.join(root, 'photos', 'beach photo.jpg');
  const home = trashDir; // $XDG_DATA_HOME/Trash, the home trash
  fs.mkdirSync(path.join(home, 'files'), { recursive: true });
  fs.mkdirSync(path.join(home, 'info'), { recursive: true });
  const put = (name: string, content: string, date: string) => {
    fs.writeFileSync(path.join(home, 'files', name), content);
    fs.writeFileSync(path.join(home, 'info', `${name}.trashinfo`), `[Trash Info]\nPath=${encodeURI(original)}\nDeletionDate=${date}\n`);
  };
  put('beach photo.jpg', 'old', '2020-01-01T10:00:00');
  put('beach photo.2.jpg', 'new', '2024-01-01T10:00:00');
  put('other.jpg', 'x', '2025-01-01T10:00:00');
  fs.writeFileSync(path.join(home, 'info', 'other.jpg.trashinfo'), '[Trash Info]\nPath=/somewhere/else.jpg\nDeletionDate=2025-01-01T10:00:00\n');
  assert.equal(findInFreedesktopTrash(original, [home])?.file, path.join(home, 'files', 'beach photo.2.jpg'));
  const oldHash = crypto.createHash('sha1').update('old').digest('hex');
  assert.equal(findInFreedesktopTrash(original, [home], oldHash)?.file, path.join(home, 'files', 'beach photo.jpg'));
  assert.equal(findInFreedesktopTrash(original, [home], 'f'.repeat(40)), null, 'other content is never restored');
  const restored = await restoreFromTrash({ originalPath: original, method: 'freedesktop', trashedPath: null, infoPath: null }, oldHash);
  assert.equal(restored, original);
  assert.equal(fs.readFileSync(original, 'utf8'), 'old');
  assert.ok(!fs.existsSync(path.join(home, 'info', 'beach photo.jpg.trashinfo')));
});

test('a batch is undone as a whole: files and their index rows (vector, tags, caption) come back', async () => {
  const db = openDatabase(path.join(root, 'lib.db'));
  const a = photo('a.jpg', 'A');
  const b = photo('b.jpg', 'B');
  const insert = db.prepare(
    "INSERT INTO files (path, size, mtime_ms, status, content_hash, width, height, added_at) VALUES (?, 1, 1, 'indexed', ?, 10, 10, 1)",
  );
  const ida = Number(insert.run(a, sha1(a)).lastInsertRowid);
  insert.run(b, sha1(b));
  db.prepare("INSERT INTO vectors (file_id, model_id, vector) VALUES (?, 'm', ?)").run(ida, Buffer.from(new Float32Array([1, 2, 3]).buffer));
  db.prepare('INSERT INTO tags (file_id, tag, added_at) VALUES (?, ?, 1)').run(ida, 'Beach');
  db.prepare('INSERT INTO captions (file_id, caption, updated_at) VALUES (?, ?, 1)').run(ida, 'sunset');

  const out = await trashFiles(db, [a, b, path.join(root, 'photos', 'missing.jpg')]);
  assert.deepEqual(out.trashed, [a, b]);
  assert.equal(out.failed.length, 1);
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM files').get() as { n: number }).n, 0);
  assert.equal(fs.readdirSync(path.join(trashDir, 'files')).length, 2);

  const undo = await undoLastTrash(db);
  assert.deepEqual(undo.restored.sort(), [a, b]);
  assert.equal(fs.readFileSync(a, 'utf8'), 'A');
  const row = db.prepare('SELECT id, status FROM files WHERE path = ?').get(a) as { id: number; status: string };
  assert.equal(row.id, ida, 'the same id, so everything keyed by it lines up');
  assert.equal(row.status, 'indexed');
  assert.deepEqual([...undo.reinstated.find((r) => r.id === ida)!.vector!], [1, 2, 3]);
  assert.equal((db.prepare('SELECT tag FROM tags WHERE file_id = ?').get(ida) as { tag: string }).tag, 'Beach');
  assert.equal((db.prepare('SELECT caption FROM captions WHERE file_id = ?').get(ida) as { caption: string }).caption, 'sunset');
  assert.equal((await undoLastTrash(db)).batchId, null, 'nothing left to undo');
  db.close();
});

test('on Linux the freedesktop home trash is written by us: the place is known before the move', { skip: process.platform === 'darwin' || process.platform === 'win32' }, async () => {
  const file = photo('plage.jpg', 'sand');
  const planned = planTrash(file);
  assert.equal(planned.method, 'freedesktop');
  assert.equal(planned.trashedPath, path.join(trashDir, 'files', 'plage.jpg'));
  const t = await carryOutTrash(planned);
  assert.ok(!fs.existsSync(file) && fs.readFileSync(t.trashedPath!, 'utf8') === 'sand');
  assert.match(fs.readFileSync(t.infoPath!, 'utf8'), /^\[Trash Info\]\nPath=.*plage\.jpg\nDeletionDate=/);
  assert.equal(await restoreFromTrash(t, null), file);
  assert.deepEqual(fs.readdirSync(path.join(trashDir, 'info')), []);
});

test('a file on another volume goes to that volume\'s .Trash-$UID; when it is full, no .trashinfo is left', { skip: process.platform !== 'linux' }, async (t) => {
  const volume = path.join(root, 'volume');
  fs.mkdirSync(volume);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', volume], { stdio: 'ignore' });
  } catch {
    return t.skip('cannot mount a tmpfs here (needs root)');
  }
  try {
    const file = path.join(volume, 'a.jpg');
    fs.writeFileSync(file, 'on the volume');
    const uid = process.getuid!();
    const moved = await moveToTrash(file);
    assert.equal(moved.trashedPath, path.join(volume, `.Trash-${uid}`, 'files', 'a.jpg'));
    assert.equal(fs.statSync(path.join(volume, `.Trash-${uid}`)).mode & 0o777, 0o700, 'private, as the spec asks');
    await restoreFromTrash(moved, null);

    try {
      for (let i = 0; ; i++) fs.writeFileSync(path.join(volume, `filler-${i}`), Buffer.alloc(4096));
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
    }
    const db = openDatabase(path.join(root, 'lib.db'));
    try {
      const out = await trashFiles(db, [file]);
      assert.deepEqual(out.trashed, []);
      assert.match(out.stopped ?? '', /the disk holding the trash is full/);
      assert.ok(fs.existsSync(file), 'the file stays where it was');
      assert.deepEqual(fs.readdirSync(path.join(volume, `.Trash-${uid}`, 'info')), [], 'no empty .trashinfo');
    } finally {
      db.close();
    }
  } finally {
    execFileSync('umount', [volume]);
  }
});
