/**
 * The persistent search space (search/search-space.ts): what a new process opens equals a full
 * rebuild from the raw vectors, in every state a crash can leave; a refit switches spaces only
 * once the new one is complete; at scale the HNSW index answers with exact scores and the recall
 * of exact search, photos it lacks included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import { fitWhitening, toSearchSpace, toSearchSpaceMany } from '../../main/core/search/whitening.js';
import { gaussians } from '../../main/core/search/linear-algebra.js';
import { rerank, RERANK_DEPTH } from '../../main/core/search/rerank.js';
import { tempDir } from '../helpers/datasets.js';
import { runCli } from '../helpers/cli.js';
import { addSyntheticPhotos } from '../helpers/synthetic-library.js';

const DIMS = 96;

/** What a full rebuild gives: every indexed photo's raw vector mapped through the stored fit. */
function rebuilt(library: Library): Map<number, Float32Array> {
  const whitening = library.files.whitening(library.modelId);
  const out = new Map<number, Float32Array>();
  library.files.forEachVector(library.modelId, (id, raw) => out.set(id, toSearchSpace(raw, whitening)));
  return out;
}

function assertOpensAsRebuilt(dbPath: string, message: string): void {
  const library = Library.open({ dbPath });
  try {
    const index = library.searchIndex(); // (first: it fits the whitening if none was saved yet)
    const expected = rebuilt(library);
    assert.equal(index.size, expected.size, `${message}: size`);
    for (const [id, v] of expected) assert.deepEqual(index.vector(id), v, `${message}: photo ${id}`);
  } finally {
    void library.close();
  }
}

function storedRows(library: Library): number {
  return (library.db.prepare('SELECT COUNT(*) AS n FROM search_vectors').get() as { n: number }).n;
}

test('a new process opens the stored space, equal to a rebuild in every state a crash can leave', async () => {
  const dbPath = path.join(tempDir(), 'lib.db');
  const library = Library.open({ dbPath });
  addSyntheticPhotos(library, { count: 300, dims: DIMS });
  await library.updateSearchSpace();
  assert.equal(library.searchKind(), 'exact', 'small libraries are scanned exactly');
  const fit = library.files.whitening(library.modelId)!;
  assert.ok(fit.spaceId, 'the fit names its space');
  assert.equal(library.searchIndex().size, 300);
  assert.equal(storedRows(library), 300, 'the space is stored');
  await library.close();
  assertOpensAsRebuilt(dbPath, 'after a clean close');

  const raw = Library.open({ dbPath });
  const ids = (raw.db.prepare('SELECT id FROM files ORDER BY id LIMIT 10').all() as { id: number }[]).map((r) => r.id);
  // Killed after writing raw vectors, before their search vectors: the trigger dropped the stale ones.
  const rewrite = raw.db.prepare('UPDATE vectors SET vector = ? WHERE file_id = ?');
  for (const id of ids.slice(0, 5)) rewrite.run(Buffer.from(new Float32Array(DIMS).fill(id % 7).buffer), id);
  // Killed before search vectors were ever stored for some photos.
  raw.db.prepare(`DELETE FROM search_vectors WHERE file_id IN (${ids.slice(5).join(',')})`).run();
  // Killed while a refit was filling its new space: half a space under an id no fit names.
  raw.db.prepare("INSERT INTO search_vectors (model_id, space_id, file_id, vector) SELECT model_id, 'fit-abandoned', file_id, vector FROM search_vectors LIMIT 50").run();
  assert.equal(storedRows(raw), 300 - 10 + 50);
  await raw.close();
  assertOpensAsRebuilt(dbPath, 'after simulated crashes');
  const reopened = Library.open({ dbPath });
  assert.equal(
    (reopened.db.prepare('SELECT COUNT(*) AS n FROM search_vectors WHERE space_id = ?').get(fit.spaceId) as { n: number }).n,
    300,
    'what was missing is stored again',
  );

  // A refit (the library grew by half): the new space is complete before it answers; the old goes.
  addSyntheticPhotos(reopened, { count: 200, dims: DIMS, seed: 5 });
  await reopened.updateSearchSpace();
  const refit = reopened.files.whitening(reopened.modelId)!;
  assert.notEqual(refit.spaceId, fit.spaceId);
  assert.equal(storedRows(reopened), 500, 'only the new space is kept');
  await reopened.close();
  assertOpensAsRebuilt(dbPath, 'after a refit');
});

test('a refit due when a space is opened runs off-thread: the old space answers until the new one is stored', async () => {
  const dbPath = path.join(tempDir(), 'lib.db');
  const library = Library.open({ dbPath });
  addSyntheticPhotos(library, { count: 200, dims: DIMS });
  await library.updateSearchSpace();
  const fit = library.files.whitening(library.modelId)!;
  await library.close();

  // Another process finds the library grown by half since its fit (a refit is due) and is asked at once.
  const again = Library.open({ dbPath });
  addSyntheticPhotos(again, { count: 100, dims: DIMS, seed: 7, root: '/later' });
  const old = again.searchIndex();
  assert.equal(old.size, 300, 'every photo answers at once');
  assert.equal(again.files.whitening(again.modelId)!.spaceId, fit.spaceId, 'in the old space: the refit did not run on this thread');
  assert.equal(again.searchIndex(), old, 'the old space stays open while the refit runs');
  await again.updateSearchSpace(); // joins the refit in flight (one at a time)
  const refit = again.files.whitening(again.modelId)!;
  assert.notEqual(refit.spaceId, fit.spaceId, 'the refit was saved');
  assert.equal(refit.fittedOn, 300);
  assert.notEqual(again.searchIndex(), old, 'the new space answers once stored');
  assert.equal(storedRows(again), 300, 'only the new space is kept');
  await again.close();
  assertOpensAsRebuilt(dbPath, 'after a refit in the background');
});

test('at scale, similar answers through the saved HNSW index: exact scores, recall@50 ≥ 0.99, exclude and k kept', async () => {
  const dir = tempDir();
  const dbPath = path.join(dir, 'lib.db');
  const library = Library.open({ dbPath, annFrom: 1000 });
  const { ids } = addSyntheticPhotos(library, { count: 3000, dims: DIMS, perCategory: 30 });
  await library.updateSearchSpace();
  await library.close();
  const saved = fs.readdirSync(path.join(`${dbPath}-cache`, 'search')).sort();
  assert.deepEqual(saved.map((name) => path.extname(name)), ['.usearch', '.vectors'], `one HNSW file and the snapshot of its rows: ${saved.join(', ')}`);

  // A new process, with photos added and changed since the index was built (it lacks them).
  const again = Library.open({ dbPath, annFrom: 1000 });
  const added = addSyntheticPhotos(again, { count: 100, dims: DIMS, seed: 3, root: '/later' });
  again.db.prepare(`DELETE FROM files WHERE id IN (${ids.slice(0, 20).join(',')})`).run();
  const exact = again.searchIndex();
  assert.equal(again.searchKind(), 'hnsw');
  let found = 0;
  let wanted = 0;
  let agreeing = 0;
  const queries = [...ids.slice(20, 120), ...added.ids.slice(0, 20)];
  for (const id of queries) {
    const q = exact.vector(id)!;
    const truth = exact.search(q, 50, new Set([id]));
    // The search layer (before the re-ranking of search/rerank.ts reorders its candidates).
    const answer = again.candidates(q, 50, new Set([id]));
    assert.equal(answer.length, 50);
    const got = new Map(answer.map((r) => [r.id, r.score]));
    assert.ok(!got.has(id), 'a photo never matches itself');
    for (const r of answer) assert.equal(r.score, exact.dotWith(r.id, q), 'scores are exact');
    const [shown] = await again.similar([again.photo(id)!.path], 50);
    assert.equal(shown.results.length, 50);
    assert.ok(!shown.results.some((r) => r.id === id), 'similar never shows the photo itself');
    for (const t of truth) if (got.has(t.id)) found++;
    wanted += truth.length;
    // The re-ranked answer, against the same re-ranking of an exact search's nearest.
    const exactAnswer = new Set(rerank(q, exact.search(q, RERANK_DEPTH, new Set([id])), (other) => exact.vector(other)).slice(0, 50).map((h) => h.id));
    agreeing += shown.results.filter((r) => exactAnswer.has(r.id!)).length;
  }
  const recall = found / wanted;
  assert.ok(recall >= 0.99, `recall@50 ${recall}`);
  const agreement = agreeing / (queries.length * 50);
  // Measured here: 0.978 from 150 HNSW candidates (the default), 0.989 from 200, 0.953 from 100.
  assert.ok(agreement >= 0.965, `the re-ranked answer is an all-exact one's ${agreement}`);
  // The photos the index lacks are found: each added photo's nearest is among the answers of its twin query.
  const answersForAdded = await again.similar([again.photo(added.ids[0])!.path], 5);
  assert.equal(answersForAdded[0].results.length, 5);
  assert.ok(!answersForAdded[0].results.some((r) => ids.slice(0, 20).includes(r.id!)), 'removed photos never answer');
  await again.close();
});

test('a large space opens from the snapshot saved with its HNSW index, equal to a rebuild whatever changed since', async () => {
  const dbPath = path.join(tempDir(), 'lib.db');
  const library = Library.open({ dbPath, annFrom: 1000 });
  const { ids } = addSyntheticPhotos(library, { count: 1500, dims: DIMS, perCategory: 30 });
  await library.updateSearchSpace();
  await library.close();
  const dir = path.join(`${dbPath}-cache`, 'search');
  const snapshotFile = path.join(dir, fs.readdirSync(dir).find((name) => name.endsWith('.vectors'))!);
  assertOpensAsRebuilt(dbPath, 'unchanged since the snapshot');

  // The snapshot is what opening reads: a row changed in the file (finite numbers) is what the space holds.
  const original = fs.readFileSync(snapshotFile);
  const count = original.readUInt32LE(12);
  const dims = original.readUInt32LE(8);
  const row = 100;
  const fileId = original.readUInt32LE(16 + 4 * row);
  const matrixAt = 16 + count * 12;
  const tampered = Buffer.from(original);
  for (let t = 0; t < dims; t++) tampered.writeFloatLE(t === 0 ? 1 : 0, matrixAt + (row * dims + t) * 4);
  fs.writeFileSync(snapshotFile, tampered);
  const reader = Library.open({ dbPath });
  assert.deepEqual([...reader.searchIndex().vector(fileId)!].slice(0, 3), [1, 0, 0]);
  await reader.close();
  fs.writeFileSync(snapshotFile, original);

  // Changed since the snapshot: photos added, removed, re-embedded, and waiting to be indexed again.
  const again = Library.open({ dbPath, annFrom: 1000 });
  const added = addSyntheticPhotos(again, { count: 60, dims: DIMS, seed: 3, root: '/later' });
  again.db.prepare(`DELETE FROM files WHERE id IN (${ids.slice(0, 20).join(',')})`).run();
  const rewrite = again.db.prepare('UPDATE vectors SET vector = ? WHERE file_id = ?');
  for (const id of ids.slice(20, 30)) rewrite.run(Buffer.from(new Float32Array(DIMS).fill((id % 5) + 1).buffer), id);
  again.db.prepare(`UPDATE files SET status = 'pending' WHERE id IN (${ids.slice(30, 40).join(',')})`).run();
  await again.close();
  assertOpensAsRebuilt(dbPath, 'after changes since the snapshot (what it lacks computed)');
  // Opened once since: what the snapshot lacks is stored now, and read from the database.
  const stored = Library.open({ dbPath });
  const rows = stored.db.prepare(`SELECT COUNT(*) FROM search_vectors WHERE file_id IN (${[...added.ids, ...ids.slice(20, 30)].join(',')})`).pluck().get();
  assert.equal(rows, 70, 'the added and re-embedded photos have stored search vectors');
  await stored.close();
  assertOpensAsRebuilt(dbPath, 'after changes since the snapshot (what it lacks read from the database)');

  // A snapshot cut short (a full disk, a crash of another kind) is not used.
  fs.truncateSync(snapshotFile, original.length - 1000);
  assertOpensAsRebuilt(dbPath, 'with a snapshot cut short');
});

test('a saved HNSW index that is missing, cut short or overwritten is not opened: similar answers exactly and the process lives', async () => {
  const dbPath = path.join(tempDir(), 'lib.db');
  const library = Library.open({ dbPath, annFrom: 1000 });
  const { ids } = addSyntheticPhotos(library, { count: 1500, dims: DIMS, perCategory: 30 });
  await library.updateSearchSpace();
  const query = library.photo(ids[7])!.path;
  const truth = library.searchIndex().search(library.searchIndex().vector(ids[7])!, 5, new Set([ids[7]]));
  await library.close();
  const dir = path.join(`${dbPath}-cache`, 'search');
  const indexFile = path.join(dir, fs.readdirSync(dir).find((name) => name.endsWith('.usearch'))!);
  const original = fs.readFileSync(indexFile);
  const damages: [string, () => void][] = [
    ['missing', () => fs.rmSync(indexFile)],
    ['empty', () => fs.writeFileSync(indexFile, '')],
    ['cut short', () => fs.writeFileSync(indexFile, original.subarray(0, original.length >> 1))],
    ['overwritten with garbage of its size', () => fs.writeFileSync(indexFile, Buffer.alloc(original.length, 7))],
  ];
  for (const [damage, apply] of damages) {
    apply();
    // A separate process, as a user runs it: usearch handed such a file aborts or crashes one.
    const run = await runCli(['similar', query, '--db', dbPath, '--json', '--k', '5']);
    assert.equal(run.code, 0, `${damage}: ${run.stderr}`);
    const answer = JSON.parse(run.stdout) as { results: { path: string }[] }[];
    assert.equal(answer[0].results.length, 5, damage);
    const reader = Library.open({ dbPath });
    assert.equal(reader.searchKind(), 'exact', `${damage}: the damaged index is not used`);
    assert.deepEqual(reader.candidates(reader.searchIndex().vector(ids[7])!, 5, new Set([ids[7]])), truth, damage);
    await reader.close();
    fs.writeFileSync(indexFile, original);
  }
  // Rebuilt by the next update, and used again.
  fs.rmSync(indexFile);
  const owner = Library.open({ dbPath, annFrom: 1000 });
  await owner.updateSearchSpace();
  assert.equal(owner.searchKind(), 'hnsw');
  await owner.close();
});

test('the batched transform gives the same search vectors bit for bit', () => {
  const g = gaussians(203 * 150, 3);
  const raws = Array.from({ length: 203 }, (_, i) => Float32Array.from(g.subarray(i * 150, (i + 1) * 150), (x) => Math.abs(x)));
  const fit = fitWhitening(raws);
  const many = toSearchSpaceMany(raws, fit);
  raws.forEach((raw, i) => assert.deepEqual(many[i], toSearchSpace(raw, fit)));
  assert.deepEqual(toSearchSpaceMany(raws.slice(0, 3), null), raws.slice(0, 3).map((r) => toSearchSpace(r, null)));
});
