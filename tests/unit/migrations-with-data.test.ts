/**
 * Migrations run over a database that holds data, as Signal-Desktop's `updateToVersion` tests do:
 * a library made by an older schema is filled, then opened by this one, and its rows must come
 * through. 0004 rebuilds `vectors` (copy, drop, rename), the riskiest step for a user's index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openDatabase, schemaVersion } from '../../main/core/store/database.js';
import { migrations } from '../../main/core/store/migrations/index.js';
import { FilesRepository } from '../../main/core/store/files-repository.js';
import { tempDir } from '../helpers/datasets.js';

const blob = (values: number[]) => Buffer.from(new Float32Array(values).buffer);

test('0004 keeps every vector of a version-3 library, and then allows a second model per file', () => {
  const file = path.join(tempDir('likeness-migrate-'), 'library.db');
  const old = openDatabase(file, migrations.slice(0, 3));
  assert.equal(schemaVersion(old), 3);
  const insertFile = old.prepare("INSERT INTO files (path, size, mtime_ms, status, content_hash, added_at) VALUES (?, ?, 1, 'indexed', ?, 1)");
  const insertVector = old.prepare('INSERT INTO vectors (file_id, model_id, vector) VALUES (?, ?, ?)');
  for (let i = 1; i <= 3; i++) {
    const { lastInsertRowid } = insertFile.run(`/photos/${i}.jpg`, 100 + i, `hash-${i}`);
    insertVector.run(lastInsertRowid, 'old-model', blob([i, -i, i / 2]));
  }
  old.close();

  const db = openDatabase(file);
  assert.equal(schemaVersion(db), migrations[migrations.length - 1].version);
  const files = new FilesRepository(db);
  for (let i = 1; i <= 3; i++) {
    const row = files.byPath(`/photos/${i}.jpg`)!;
    assert.equal(row.content_hash, `hash-${i}`);
    assert.deepEqual(Array.from(files.vectorOf(row.id, 'old-model')!), [i, -i, i / 2]);
  }
  assert.equal(files.vectorCount('old-model'), 3);
  // The point of 0004: during a model switch a file holds the old model's vector and the new one's.
  const first = files.byPath('/photos/1.jpg')!.id;
  db.prepare('INSERT INTO vectors (file_id, model_id, vector) VALUES (?, ?, ?)').run(first, 'new-model', blob([0, 1, 0]));
  assert.deepEqual(files.vectorModels().sort(), ['new-model', 'old-model']);
  assert.deepEqual(Array.from(files.vectorOf(first, 'old-model')!), [1, -1, 0.5]);
  db.close();
});
