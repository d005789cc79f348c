/**
 * The hot queries (status, browse, timeline, folder filters of duplicates, clusters and search,
 * per-root counts, scans of a folder, which models hold vectors) are index seeks: none reads the
 * whole `files` or `vectors` table. Each front call is run on a real library while every statement
 * it prepares is recorded; then the plan of each statement is asked of SQLite (Signal-Desktop's
 * `explain()` check, in spirit).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import { tempDir } from '../helpers/datasets.js';
import { SearchVectorsRepository } from '../../main/core/store/search-vectors-repository.js';

test('every hot query seeks an index: no full SCAN of files or vectors', async () => {
  const dir = tempDir();
  const root = path.join(dir, 'photos');
  const library = Library.open({ dbPath: path.join(dir, 'lib.db') });
  try {
    library.store.addRoot(root, { device: 1 });
    library.files.insertPending(
      Array.from({ length: 50 }, (_, i) => ({ path: path.join(root, i % 2 ? 'a' : 'b', `p${i}.jpg`), size: 1000 + i, mtimeMs: i })),
    );
    library.db.prepare("UPDATE files SET status = 'indexed' WHERE id % 3 != 0").run();

    const recorded = new Map<string, string>();
    const prepare = library.db.prepare.bind(library.db);
    let call = '';
    library.db.prepare = ((sql: string) => {
      if (/\b(files|vectors)\b/.test(sql) && !recorded.has(sql)) recorded.set(sql, call);
      return prepare(sql);
    }) as typeof library.db.prepare;
    const folder = path.join(root, 'a');
    const calls: [string, () => unknown][] = [
      ['status', () => library.status()],
      ['roots', () => library.rootsWithState()],
      ['browse a folder', () => library.listPhotos({ folder, limit: 20 })],
      ['browse a folder by name', () => library.listPhotos({ folder, sort: 'name', limit: 20 })],
      ['timeline of a folder', () => library.timelineRows({ folder })],
      ['files under a folder', () => library.files.filesUnder(folder)],
      ['paths under a folder', () => library.store.pathsUnder(folder)],
      ['duplicates of a folder', () => library.dupes({ folder })],
      ['clusters of a folder', () => library.clusters({ folder })],
      ['search in a folder', () => library.search({ folder })],
      ['other models than the one served', () => library.files.hasVectorsOtherThan(library.modelId)],
    ];
    for (const [name, run] of calls) {
      call = name;
      await run();
    }
    library.db.prepare = prepare;

    assert.ok(recorded.size >= calls.length, `statements recorded: ${recorded.size}`);
    for (const [sql, name] of recorded) {
      const params = (sql.match(/\?/g) ?? []).length;
      const plan = (library.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(params).fill(null)) as { detail: string }[]).map((r) => r.detail);
      assert.ok(!plan.some((d) => /^SCAN (files|f|vectors|v)\b/.test(d)), `${name}: ${sql}\n  plan: ${plan.join(' | ')}`);
    }
  } finally {
    await library.close();
  }
});

test('a folder range holds exactly the files under the folder, not its look-alike siblings', async () => {
  const dir = tempDir();
  const library = Library.open({ dbPath: path.join(dir, 'lib.db') });
  try {
    const names = ['/p/a/x.jpg', '/p/a/sub/y.jpg', '/p/a b/z.jpg', '/p/a-b/z.jpg', '/p/a0/z.jpg', '/p/ab/z.jpg', '/p/a.jpg', '/p/b/a/x.jpg'];
    library.files.insertPending(names.map((p, i) => ({ path: p, size: i + 1, mtimeMs: i })));
    const under = [...library.files.filesUnder('/p/a').keys()].sort();
    assert.deepEqual(under, ['/p/a/sub/y.jpg', '/p/a/x.jpg']);
    assert.deepEqual([...library.files.filesUnder('/p/a/').keys()].sort(), under);
    assert.equal(library.store.countsUnder('/p/a').files, 2);
  } finally {
    await library.close();
  }
});

test('filling a search space walks the raw vectors once, in key order from where the last batch ended', async () => {
  const dir = tempDir();
  const library = Library.open({ dbPath: path.join(dir, 'lib.db') });
  try {
    let sql = '';
    const prepare = library.db.prepare.bind(library.db);
    library.db.prepare = ((text: string) => {
      if (/NOT EXISTS \(SELECT 1 FROM search_vectors/.test(text)) sql = text;
      return prepare(text);
    }) as typeof library.db.prepare;
    new SearchVectorsRepository(library.db).missing('model', 'space', 0, 256);
    library.db.prepare = prepare;
    const plan = (library.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('model', 0, 'space', 256) as { detail: string }[]).map((r) => r.detail);
    // Led by the vectors' key range, a batch reads only from `after` on; led by the files' status
    // index, every batch would read all indexed files and sort them (a pass per 256 photos).
    assert.match(plan[0], /^SEARCH v USING (INDEX|PRIMARY KEY).*\(file_id>\?\)/, plan.join(' | '));
    assert.ok(!plan.some((d) => /TEMP B-TREE/.test(d)), plan.join(' | '));
  } finally {
    await library.close();
  }
});
