/**
 * What a crash leaves of a resolution is settled by the next open: an intent whose file reached
 * the trash is finished (undo brings it back), one whose file never moved is rolled back (with
 * the `.trashinfo` a kill left empty), and each is said. Intents of a resolution still running
 * (its owner alive) are left alone, and undo waits for it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import { openDatabase } from '../../main/core/store/database.js';
import { TrashJournal } from '../../main/core/trash/journal.js';
import { planTrash } from '../../main/core/trash/trash-bin.js';
import { tempDir } from '../helpers/datasets.js';
import { useTrashSandbox } from '../helpers/trash-sandbox.js';

const sha1 = (file: string) => crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');

test('the next open finishes or rolls back a crashed resolution, and says so; undo then brings back what moved', async () => {
  const root = tempDir('likeness-trash-recovery-');
  const { trashDir, restore: restoreTrash } = useTrashSandbox(root);
  const dbPath = path.join(root, 'lib.db');
  try {
    const db = openDatabase(dbPath);
    const journal = new TrashJournal(db);
    const files = ['moved.jpg', 'claimed.jpg', 'untouched.jpg'].map((name) => {
      const file = path.join(root, 'photos', name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `pixels of ${name}`);
      db.prepare("INSERT INTO files (path, size, mtime_ms, status, content_hash, added_at) VALUES (?, 1, 1, 'indexed', ?, 1)").run(file, sha1(file));
      return file;
    });
    const row = (file: string) => db.prepare('SELECT * FROM files WHERE path = ?').get(file) as Record<string, unknown> | undefined;
    const batch = journal.beginBatch('resolve duplicates');
    const planned = new Set<string>();
    const plans = files.map((file) => planTrash(file, planned));
    plans.forEach((plan, i) =>
      journal.addIntent(batch, plan, { contentHash: sha1(files[i]), fileRow: row(files[i]) ?? null, modelId: null, vector: null, tags: [], caption: null }),
    );
    // The kill: the first file had moved (info written, rename done); the second's .trashinfo was
    // just created, still empty; the third was not reached.
    fs.mkdirSync(path.join(trashDir, 'files'), { recursive: true });
    fs.mkdirSync(path.join(trashDir, 'info'), { recursive: true });
    fs.writeFileSync(plans[0].infoPath!, `[Trash Info]\nPath=${encodeURI(files[0])}\nDeletionDate=2026-01-01T00:00:00\n`);
    fs.renameSync(files[0], plans[0].trashedPath!);
    fs.writeFileSync(plans[1].infoPath!, '');
    // A second resolution, of this (live) process, in flight: left alone.
    const live = journal.beginBatch('resolve duplicates');
    const extra = path.join(root, 'photos', 'in flight.jpg');
    fs.writeFileSync(extra, 'in flight');
    journal.addIntent(live, planTrash(extra, planned), { contentHash: null, fileRow: null, modelId: null, vector: null, tags: [], caption: null });
    db.prepare('UPDATE trash_batches SET owner = ? WHERE id = ?').run('999999999@0', batch); // a process of another boot: gone
    db.close();

    const library = Library.open({ dbPath });
    const notes = library.interruptedTrash;
    assert.deepEqual(
      notes.map((n) => [path.basename(n.path), n.outcome]),
      [
        ['moved.jpg', 'finished'],
        ['claimed.jpg', 'rolled-back'],
        ['untouched.jpg', 'rolled-back'],
      ],
    );
    assert.match(notes[0].message, /interrupted: the move is complete, and `dupes undo` brings it back/);
    assert.match(notes[1].message, /it stays where it is/);
    assert.ok(!fs.existsSync(plans[1].infoPath!), 'the empty .trashinfo is gone');
    assert.deepEqual(fs.readdirSync(path.join(trashDir, 'info')), [path.basename(plans[0].infoPath!)]);

    // The live batch is the last one: undo waits for it.
    const waiting = await library.undoLastResolve();
    assert.equal(waiting.restored, 0);
    assert.match(waiting.failed[0].reason, /still running/);
    assert.ok(fs.existsSync(extra));
    await library.close();

    const check = openDatabase(dbPath);
    check.prepare('DELETE FROM trash_batches WHERE id = ?').run(live); // (that resolution ends with nothing moved)
    assert.equal(check.prepare('SELECT 1 FROM files WHERE path = ?').get(files[0]), undefined, 'the moved file left the index');
    check.close();
    const again = Library.open({ dbPath });
    const undo = await again.undoLastResolve();
    assert.deepEqual(undo.paths, [files[0]]);
    for (const file of files) assert.equal(fs.readFileSync(file, 'utf8'), `pixels of ${path.basename(file)}`);
    assert.deepEqual(fs.readdirSync(path.join(trashDir, 'files')), []);
    assert.deepEqual(fs.readdirSync(path.join(trashDir, 'info')), []);
    await again.close();
  } finally {
    restoreTrash();
  }
});
