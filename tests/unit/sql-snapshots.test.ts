/**
 * The SQL each repository runs, written out per method to tests/sql/<repository>.sql, as immich's
 * `@GenerateSql` does: a query change shows up in review as a diff of that file. The statements are
 * recorded from a real database while the methods run (dynamic clauses such as folder ranges
 * included). After an intended change, regenerate with `LIKENESS_UPDATE_SQL=1` and commit the diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../../main/core/store/database.js';
import { FilesRepository } from '../../main/core/store/files-repository.js';
import { LibraryStore } from '../../main/core/library/library-store.js';
import { SearchVectorsRepository } from '../../main/core/store/search-vectors-repository.js';
import { TagsRepository } from '../../main/core/text-search/tags-repository.js';
import { DecisionsRepository } from '../../main/core/duplicates/decisions.js';
import { SettingsRepository } from '../../main/core/store/settings-repository.js';
import { REPO_ROOT, tempDir } from '../helpers/datasets.js';

type Calls<R> = [name: string, call: (repo: R) => unknown][];

/** Runs each call against a fresh library and renders the statements it prepared, in order. */
function snapshot<R>(make: (db: Db) => R, calls: Calls<R>): string {
  const db = openDatabase(path.join(tempDir('likeness-sql-'), 'library.db'));
  const files = new FilesRepository(db);
  files.insertPending([{ path: '/photos/a.jpg', size: 1, mtimeMs: 1 }, { path: '/photos/b/c.jpg', size: 2, mtimeMs: 1 }]);
  const repo = make(db);
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    seen.push(sql.replace(/\s+/g, ' ').trim());
    return prepare(sql);
  }) as Db['prepare'];
  const out: string[] = [];
  for (const [name, call] of calls) {
    seen.length = 0;
    call(repo);
    out.push(`-- ${name}`, ...seen.map((sql) => `${sql};`), '');
  }
  db.close();
  return out.join('\n');
}

function check(file: string, actual: string): void {
  const where = path.join(REPO_ROOT, 'tests', 'sql', file);
  if (process.env.LIKENESS_UPDATE_SQL === '1') fs.writeFileSync(where, actual);
  assert.ok(fs.existsSync(where), `${where} is missing: run with LIKENESS_UPDATE_SQL=1`);
  assert.equal(actual, fs.readFileSync(where, 'utf8'), `the SQL of ${file} changed: regenerate with LIKENESS_UPDATE_SQL=1 and review the diff`);
}

test('FilesRepository SQL', () => {
  check('files-repository.sql', snapshot((db) => new FilesRepository(db), [
    ['roots()', (r) => r.roots()],
    ['filesUnder(folder)', (r) => r.filesUnder('/photos')],
    ['byPath(path)', (r) => r.byPath('/photos/a.jpg')],
    ['byId(id)', (r) => r.byId(1)],
    ['byIds(ids)', (r) => r.byIds([1, 2])],
    ['pathsOf(ids)', (r) => r.pathsOf([1, 2])],
    ['insertPending(files)', (r) => r.insertPending([{ path: '/photos/d.jpg', size: 3, mtimeMs: 1 }])],
    ['markStaleAsPending(model)', (r) => r.markStaleAsPending('m')],
    ['lackingVectorUnder(model, folders)', (r) => r.lackingVectorUnder('m', ['/photos'])],
    ['countLackingVector(model)', (r) => r.countLackingVector('m')],
    ['mostCommonModelExcept(model)', (r) => r.mostCommonModelExcept('m')],
    ['deleteVectorsExcept(model)', (r) => r.deleteVectorsExcept('m')],
    ['lackingExposure(folders)', (r) => r.lackingExposure(['/photos'])],
    ['saveResults([], failed)', (r) => r.saveResults([], [{ id: 2, reason: 'not a readable image' }])],
    ['failures()', (r) => r.failures()],
    ['thumbnailsInUse()', (r) => r.thumbnailsInUse()],
    ['forEachVector(model)', (r) => r.forEachVector('m', () => {})],
    ['vectorOf(id, model)', (r) => r.vectorOf(1, 'm')],
    ['vectorDims(model)', (r) => r.vectorDims('m')],
    ['vectorModels()', (r) => r.vectorModels()],
    ['markForReindex(ids)', (r) => r.markForReindex([1])],
    ['vectorCount(model)', (r) => r.vectorCount('m')],
    ['whitening(model)', (r) => r.whitening('m')],
    ['listPhotos(folder, sort)', (r) => r.listPhotos({ folder: '/photos', limit: 10 })],
    ['folders()', (r) => r.folders()],
    ['counts()', (r) => r.counts()],
  ]));
});

test('LibraryStore SQL', () => {
  check('library-store.sql', snapshot((db) => new LibraryStore(db), [
    ['addRoot(root)', (r) => r.addRoot('/photos', { device: 1 })],
    ['rootRows()', (r) => r.rootRows()],
    ['root(root)', (r) => r.root('/photos')],
    ['setPolling(root, on)', (r) => r.setPolling('/photos', true)],
    ['setOnline(root, online)', (r) => r.setOnline('/photos', false, 1)],
    ['markScanned(root)', (r) => r.markScanned('/photos')],
    ['countsUnder(root)', (r) => r.countsUnder('/photos')],
    ['indexedWithSize(size)', (r) => r.indexedWithSize(1)],
    ['byPath(path)', (r) => r.byPath('/photos/a.jpg')],
    ['byId(id)', (r) => r.byId(1)],
    ['pathsUnder(folder)', (r) => r.pathsUnder('/photos')],
    ['pendingUnder(folders)', (r) => r.pendingUnder(['/photos'])],
    ['currentVersions(ids)', (r) => r.currentVersions([1, 2])],
    ['apply(removal)', (r) => r.apply({ moves: [], copies: [], touches: [], removals: [2], pending: [] })],
    ['removeRoot(root)', (r) => r.removeRoot('/photos')],
  ]));
});

test('SearchVectorsRepository SQL', () => {
  check('search-vectors-repository.sql', snapshot((db) => new SearchVectorsRepository(db), [
    ['put(model, space, rows)', (r) => r.put('m', 's', [{ id: 1, vector: new Float32Array([1, 0]) }])],
    ['forEach(model, space)', (r) => r.forEach('m', 's', () => {})],
    ['count(model, space)', (r) => r.count('m', 's')],
    ['drop(model, space, ids)', (r) => r.drop('m', 's', [1])],
    ['dropOtherSpaces(model, keep)', (r) => r.dropOtherSpaces('m', 's')],
  ]));
});

test('TagsRepository SQL', () => {
  check('tags-repository.sql', snapshot((db) => new TagsRepository(db), [
    ['tag(id, tags)', (r) => r.tag(1, ['beach'])],
    ['tagsOf(id)', (r) => r.tagsOf(1)],
    ['allTags()', (r) => r.allTags()],
    ['untag(id, tags)', (r) => r.untag(1, ['beach'])],
    ['caption(id, text)', (r) => r.caption(1, 'a dog')],
    ['captionOf(id)', (r) => r.captionOf(1)],
    ['tagsStartingWith(like, limit)', (r) => r.tagsStartingWith('be', 8)],
    ['restore(id, tags, caption)', (r) => r.restore(1, ['beach'], 'a dog')],
  ]));
});

test('SettingsRepository SQL', () => {
  check('settings-repository.sql', snapshot((db) => new SettingsRepository(db), [
    ['set(key, value)', (r) => r.set('k', 'v')],
    ['get(key)', (r) => r.get('k')],
    ['setJson(key, value)', (r) => r.setJson('j', { a: 1 })],
    ['getJson(key)', (r) => r.getJson('j')],
  ]));
});

test('DecisionsRepository SQL', () => {
  check('decisions.sql', snapshot((db) => new DecisionsRepository(db), [
    ['markNotDuplicates(hashes)', (r) => r.markNotDuplicates(['h1', 'h2'])],
    ['partnersOf(hash)', (r) => r.partnersOf('h1')],
    ['all()', (r) => r.all()],
    ['forget(hashes)', (r) => r.forget(['h1', 'h2'])],
  ]));
});
