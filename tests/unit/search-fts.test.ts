/**
 * Text search over the FTS5 index that triggers keep in step with `files`: file name, folders,
 * EXIF (camera, lens, date with month names), tags and captions; prefix matching, case and
 * accents ignored; folder, date and tag filters. Rows go in as 'pending' and gain their EXIF when
 * indexed, as the indexer does.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openDatabase, type Db } from '../../main/core/store/database.js';
import { dateBound, ftsQuery, searchLibrary } from '../../main/core/text-search/search-service.js';
import { TagsRepository, normaliseTags } from '../../main/core/text-search/tags-repository.js';
import { VectorIndex } from '../../main/core/search/vector-index.js';
import { tempDir } from '../helpers/datasets.js';

let db: Db;
let root: string;
const p = (...parts: string[]) => path.join(root, ...parts);

async function find(query: Parameters<typeof searchLibrary>[1]): Promise<string[]> {
  const answer = await searchLibrary(
    { db, searchIndex: () => new VectorIndex(4), exampleVector: async () => ({ id: null, vector: new Float32Array(4) }) },
    query,
  );
  return answer.hits.map((h) => path.relative(root, h.path)).sort();
}

before(() => {
  root = tempDir('likeness-fts-test-');
  db = openDatabase(p('lib.db'));
  const pending = db.prepare("INSERT INTO files (path, size, mtime_ms, status, added_at) VALUES (?, 1, ?, 'pending', 1)");
  const indexed = db.prepare("UPDATE files SET status = 'indexed', camera = ?, lens = ?, taken_at = ? WHERE path = ?");
  const rows: [string, string | null, string | null, string | null, number][] = [
    [p('Vacances', 'Été 2023', 'IMG_0001.jpg'), 'Canon EOS R5', 'RF 24-105mm', '2023-07-14T10:00:00.000Z', 0],
    [p('Vacances', 'Été 2023', 'IMG_0002.jpg'), 'Canon EOS R5', null, '2023-07-15T09:00:00.000Z', 0],
    [p('Work', 'whiteboard.png'), null, null, null, Date.UTC(2022, 2, 3)],
    [p('Family', 'birthday-cake.jpg'), 'iPhone 13', null, '2021-12-24T18:00:00.000Z', 0],
  ];
  for (const [file, , , , mtime] of rows) pending.run(file, mtime);
  for (const [file, camera, lens, taken] of rows) indexed.run(camera, lens, taken, file);
});

test('user words become quoted prefix terms; FTS syntax in them is taken literally', () => {
  assert.equal(ftsQuery('beach 2023'), '"beach"* "2023"*');
  assert.equal(ftsQuery('  "sun*set" AND -x ( '), '"sun*set"* "AND"* "x"*');
  assert.equal(ftsQuery(' - * '), null);
  assert.deepEqual(normaliseTags([' Beach ', 'beach', 'two  words', '', 'a\u0007b']), ['Beach', 'two words', 'ab']);
});

test('date bounds: a year, a month or a day, the end exclusive', () => {
  assert.equal(dateBound('2023', 'from'), '2023-01-01T00:00:00.000Z');
  assert.equal(dateBound('2023', 'to'), '2024-01-01T00:00:00.000Z');
  assert.equal(dateBound('2023-02', 'to'), '2023-03-01T00:00:00.000Z');
  assert.equal(dateBound('2023-12-31', 'to'), '2024-01-01T00:00:00.000Z');
  assert.throws(() => dateBound('last week', 'from'), /not a date/);
  assert.equal(dateBound('2024-02-29', 'to'), '2024-03-01T00:00:00.000Z');
});

test('dates that are not on the calendar are refused, not rolled over into another month', () => {
  assert.throws(() => dateBound('2020-13-45', 'from'), /not a date: "2020-13-45" \(months run from 01 to 12\)/);
  assert.throws(() => dateBound('2023-02-29', 'to'), /that month has 28 days/);
  assert.throws(() => dateBound('2023-04-31', 'from'), /not a date/);
  assert.throws(() => dateBound('2023-00', 'from'), /not a date/);
  assert.throws(() => dateBound('2023-07-14junk', 'from'), /not a date/);
});

test('a search of only punctuation or emoji finds nothing (not every photo)', async () => {
  for (const text of ['!!!', '🙂🙂', '…', '- * "']) assert.deepEqual(await find({ text }), [], text);
});

test('file names, folders, camera, lens and dates are searchable, by prefix, any case or accent', async () => {
  const summer = ['Vacances/Été 2023/IMG_0001.jpg', 'Vacances/Été 2023/IMG_0002.jpg'];
  assert.deepEqual(await find({ text: 'ete' }), summer, 'accents ignored');
  assert.deepEqual(await find({ text: 'VACANC' }), summer, 'prefix, case ignored');
  assert.deepEqual(await find({ text: 'canon july' }), summer, 'camera and month name from EXIF');
  assert.deepEqual(await find({ text: 'rf 24' }), ['Vacances/Été 2023/IMG_0001.jpg'], 'lens');
  assert.deepEqual(await find({ text: '2023-07-14' }), ['Vacances/Été 2023/IMG_0001.jpg'], 'date taken');
  assert.deepEqual(await find({ text: 'img_0002' }), ['Vacances/Été 2023/IMG_0002.jpg'], 'file name');
  assert.deepEqual(await find({ text: 'cake iphone' }), ['Family/birthday-cake.jpg']);
  assert.deepEqual(await find({ text: 'canon whiteboard' }), [], 'every word must match');
});

test('tags and captions are searchable and follow edits and removals', async () => {
  const tags = new TagsRepository(db);
  const cake = (db.prepare('SELECT id FROM files WHERE path = ?').get(p('Family', 'birthday-cake.jpg')) as { id: number }).id;
  assert.deepEqual(tags.tag(cake, ['Fête', 'family']), ['family', 'Fête']);
  assert.deepEqual(tags.tag(cake, ['FAMILY']), ['family', 'Fête'], 'a tag is one tag whatever its case');
  tags.caption(cake, 'Grandma blowing out candles');
  assert.deepEqual(await find({ text: 'fete' }), ['Family/birthday-cake.jpg']);
  assert.deepEqual(await find({ text: 'grandm candl' }), ['Family/birthday-cake.jpg']);
  assert.deepEqual(await find({ tags: ['fête'] }), ['Family/birthday-cake.jpg'], 'tag filter');
  assert.deepEqual(tags.allTags(), [
    { tag: 'family', count: 1 },
    { tag: 'Fête', count: 1 },
  ]);
  tags.untag(cake, ['fête']);
  tags.caption(cake, '');
  assert.deepEqual(await find({ text: 'fete' }), []);
  assert.deepEqual(await find({ text: 'grandma' }), []);
  assert.throws(() => tags.tag(999_999, ['x']), /not a photo of this library/);
});

test('folder and date filters, alone or with text; a moved file is found at its new path', async () => {
  assert.deepEqual(await find({ folder: p('Vacances') }), ['Vacances/Été 2023/IMG_0001.jpg', 'Vacances/Été 2023/IMG_0002.jpg']);
  assert.deepEqual(await find({ from: '2023-07-15' }), ['Vacances/Été 2023/IMG_0002.jpg']);
  assert.deepEqual(await find({ from: '2021', to: '2022' }), ['Family/birthday-cake.jpg', 'Work/whiteboard.png'], 'EXIF date, else file date');
  assert.deepEqual(await find({ text: 'canon', to: '2023-07-14' }), ['Vacances/Été 2023/IMG_0001.jpg']);
  db.prepare('UPDATE files SET path = ? WHERE path = ?').run(p('Archive', 'board.png'), p('Work', 'whiteboard.png'));
  assert.deepEqual(await find({ text: 'whiteboard' }), []);
  assert.deepEqual(await find({ text: 'archive board' }), ['Archive/board.png']);
  db.prepare('DELETE FROM files WHERE path = ?').run(p('Archive', 'board.png'));
  assert.deepEqual(await find({ text: 'board' }), []);
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM files_fts').get() as { n: number }).n, 3, 'the FTS row left with the file');
});
