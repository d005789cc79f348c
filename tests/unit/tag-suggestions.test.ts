/**
 * The search box's suggestions and the "things" view, over the real tables: user tags (0002),
 * automatic tags and rejections (0007), stored as the annotation queue stores them.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openDatabase, type Db } from '../../main/core/store/database.js';
import { AnnotationsRepository } from '../../main/core/annotation/annotations-repository.js';
import { TagsRepository } from '../../main/core/text-search/tags-repository.js';
import { suggestTags } from '../../main/core/annotation/tag-suggestions.js';
import { annotationProgress, frequentThings } from '../../main/core/annotation/things.js';
import type { CocoLabel } from '../../main/core/annotation/vocabulary.js';
import { tempDir } from '../helpers/datasets.js';

let db: Db;
let root: string;
const ids = new Map<string, number>();
const p = (name: string) => path.join(root, name);

/** A photo and what the detector found in it (label → score). */
const PHOTOS: [string, Partial<Record<CocoLabel, number>>][] = [
  ['a.jpg', { person: 0.9, dog: 0.8 }],
  ['b.jpg', { person: 0.6 }],
  ['c.jpg', { person: 0.95, 'cell phone': 0.7 }],
  ['d.jpg', { dog: 0.92 }],
  ['e.jpg', { dog: 0.25 }], // searched, but below the shown threshold: not counted
  ['f.jpg', { motorcycle: 0.5 }],
  ['g.jpg', {}], // not annotated yet
];

before(() => {
  root = tempDir('likeness-suggest-');
  db = openDatabase(p('lib.db'));
  const insert = db.prepare("INSERT INTO files (path, size, mtime_ms, status, added_at, content_hash) VALUES (?, 1, 1, 'indexed', 1, ?)");
  const annotations = new AnnotationsRepository(db);
  for (const [name, objects] of PHOTOS) {
    const id = Number(insert.run(p(name), `hash-${name}`).lastInsertRowid);
    ids.set(name, id);
    if (name === 'g.jpg') continue;
    annotations.save(id, 'test-annotator', {
      contentHash: `hash-${name}`,
      objects: Object.entries(objects).map(([label, score]) => ({ label: label as CocoLabel, score, box: [0, 0, 1, 1] as [number, number, number, number] })),
      lines: [],
      timing: { decode: 0, detect: 0, ocr: 0 },
    });
  }
  const tags = new TagsRepository(db);
  tags.tag(ids.get('a.jpg')!, ['Dogpark', 'holiday']);
  tags.tag(ids.get('b.jpg')!, ['dogpark']);
  tags.tag(ids.get('c.jpg')!, ['summer holiday']);
  tags.tag(ids.get('d.jpg')!, ['100%']);
});

test('a prefix suggests user tags first, then the automatic tags it reaches, with counts', () => {
  assert.deepEqual(suggestTags(db, 'do'), [
    { tag: 'Dogpark', kind: 'user', count: 2 },
    { tag: 'dog', kind: 'auto', count: 2 },
  ]);
  // A word inside a user tag; case is ignored.
  assert.deepEqual(suggestTags(db, 'HOL'), [
    { tag: 'holiday', kind: 'user', count: 1 },
    { tag: 'summer holiday', kind: 'user', count: 1 },
  ]);
});

test('everyday words reach the label they name, and say which word did', () => {
  assert.deepEqual(suggestTags(db, 'peo'), [{ tag: 'person', kind: 'auto', count: 3, via: 'people' }]);
  assert.deepEqual(suggestTags(db, 'pers'), [{ tag: 'person', kind: 'auto', count: 3 }]);
  assert.deepEqual(suggestTags(db, 'motorb'), [{ tag: 'motorcycle', kind: 'auto', count: 1, via: 'motorbike' }]);
  assert.deepEqual(suggestTags(db, 'pho'), [{ tag: 'cell phone', kind: 'auto', count: 1 }]); // a word of the label
  assert.deepEqual(suggestTags(db, 'mobi'), [{ tag: 'cell phone', kind: 'auto', count: 1, via: 'mobile' }]);
  // Labels no photo has are not suggested.
  assert.deepEqual(suggestTags(db, 'pizz'), []);
});

test('LIKE wildcards and punctuation are taken literally; nothing is suggested for no word', () => {
  assert.deepEqual(suggestTags(db, '%'), []);
  assert.deepEqual(suggestTags(db, '_'), []);
  assert.deepEqual(suggestTags(db, '100%'), [{ tag: '100%', kind: 'user', count: 1 }]);
  assert.deepEqual(suggestTags(db, '   '), []);
});

test('a removed automatic tag leaves the counts and the covers', () => {
  new AnnotationsRepository(db).reject(ids.get('d.jpg')!, ['dog']);
  try {
    assert.deepEqual(
      suggestTags(db, 'dog').filter((s) => s.kind === 'auto'),
      [{ tag: 'dog', kind: 'auto', count: 1 }],
    );
    const dog = frequentThings(db).find((t) => t.tag === 'dog');
    assert.deepEqual(dog, { tag: 'dog', count: 1, coverId: ids.get('a.jpg') });
  } finally {
    db.prepare('DELETE FROM auto_tag_rejections').run();
  }
});

test('things: the most frequent automatic tags, each with the surest photo as cover', () => {
  assert.deepEqual(frequentThings(db), [
    { tag: 'person', count: 3, coverId: ids.get('c.jpg') },
    { tag: 'dog', count: 2, coverId: ids.get('d.jpg') },
    { tag: 'cell phone', count: 1, coverId: ids.get('c.jpg') },
    { tag: 'motorcycle', count: 1, coverId: ids.get('f.jpg') },
  ]);
  assert.deepEqual(frequentThings(db, 2).map((t) => t.tag), ['person', 'dog']);
});

test('annotation progress counts what the current annotator has still to do', () => {
  assert.deepEqual(annotationProgress(db, 'test-annotator'), { annotated: 6, pending: 1 });
  // A new model or recipe: every photo is pending again.
  assert.deepEqual(annotationProgress(db, 'another-annotator'), { annotated: 0, pending: 7 });
});
