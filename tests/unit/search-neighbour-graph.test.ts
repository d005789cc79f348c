/**
 * The kept neighbour graph (search/neighbour-graph.ts): duplicates and clusters read it instead of
 * recomputing it; a run computes lists only for new or changed photos, and the answers equal those
 * of a graph computed from scratch, through additions, changes and removals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import { findLibraryDuplicates } from '../../main/core/duplicates/duplicates-service.js';
import { clusterLibrary } from '../../main/core/clusters/clusters-service.js';
import { tempDir } from '../helpers/datasets.js';
import { addSyntheticPhotos } from '../helpers/synthetic-library.js';

const DIMS = 96;

function lists(library: Library): Map<number, { seq: number; neighbours: string }> {
  const rows = library.db.prepare('SELECT file_id AS id, seq, hex(neighbours) AS neighbours FROM neighbour_lists').all() as { id: number; seq: number; neighbours: string }[];
  return new Map(rows.map((r) => [r.id, { seq: r.seq, neighbours: r.neighbours }]));
}

/** The same query with a graph computed from scratch (what every run did before). */
async function fromScratch(library: Library) {
  const dupes = await findLibraryDuplicates({ db: library.db, modelId: library.modelId, searchIndex: () => library.searchIndex() }, {});
  const clusters = clusterLibrary({ db: library.db, searchIndex: () => library.searchIndex() }, {});
  return { dupes: dupes.groups.map((g) => g.paths), clusters: clusters.clusters.map((c) => c.paths) };
}

async function kept(library: Library) {
  const dupes = await library.dupes();
  const clusters = await library.clusters();
  return { dupes: dupes.groups.map((g) => g.paths), clusters: clusters.clusters.map((c) => c.paths) };
}

test('duplicates and clusters keep their neighbour graph and update it for new, changed and removed photos', async () => {
  const dbPath = path.join(tempDir(), 'lib.db');
  let library = Library.open({ dbPath });
  const { ids } = addSyntheticPhotos(library, { count: 600, dims: DIMS, exactCopies: 0.03, nearCopies: 0.05 });
  await library.updateSearchSpace();
  const first = await kept(library);
  assert.ok(first.dupes.length > 5, `duplicate groups: ${first.dupes.length}`);
  assert.ok(first.clusters.length > 5, `clusters: ${first.clusters.length}`);
  assert.deepEqual(first, await fromScratch(library));
  const before = lists(library);
  assert.equal(before.size, 600, 'a list per photo is kept');
  await library.close();

  // Another process: photos added, one photo's vector rewritten (re-indexed), some removed.
  library = Library.open({ dbPath });
  const added = addSyntheticPhotos(library, { count: 40, dims: DIMS, seed: 9, root: '/more', exactCopies: 0.1, nearCopies: 0.2 });
  const changed = ids[100];
  library.db.prepare('UPDATE vectors SET vector = (SELECT vector FROM vectors WHERE file_id = ?) WHERE file_id = ?').run(ids[200], changed);
  library.db.prepare(`DELETE FROM files WHERE id IN (${ids.slice(0, 10).join(',')})`).run();
  const second = await kept(library);
  assert.deepEqual(second, await fromScratch(library), 'the kept graph answers as a fresh one');
  const after = lists(library);
  for (const id of added.ids) assert.ok(after.has(id), 'new photos get lists');
  assert.notEqual(after.get(changed)!.seq, before.get(changed)!.seq, 'a changed photo gets a new list');
  let recomputed = 0;
  let gained = 0;
  for (const [id, list] of before) {
    const now = after.get(id);
    if (!now) continue; // removed
    if (now.seq !== list.seq) recomputed++;
    else if (now.neighbours !== list.neighbours) gained++;
  }
  assert.equal(recomputed, 1, 'only the changed photo\'s list is computed again');
  assert.ok(gained > 0 && gained < 200, `older lists that took in a new neighbour: ${gained}`);
  await library.close();
});
