/**
 * The embedding queue with a stand-in worker pool (no CNN): results are committed in batches and
 * as soon as the queue runs dry, a file that changed or vanished while in the workers is not
 * saved with stale results, stop() finishes the batch in flight, and a full disk stops the queue
 * with a clear message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openDatabase } from '../../main/core/store/database.js';
import { FilesRepository } from '../../main/core/store/files-repository.js';
import { LibraryStore } from '../../main/core/library/library-store.js';
import { DiskFullError, EmbedQueue } from '../../main/core/library/embed-queue.js';
import type { WorkerPool } from '../../main/core/embedding/pool.js';
import type { WorkItem, WorkResult } from '../../main/core/embedding/worker-protocol.js';
import { tempDir } from '../helpers/datasets.js';

function fakePool(delayMs = 5, onProcess?: (items: WorkItem[]) => void): WorkerPool & { calls: number } {
  const pool = {
    size: 2,
    calls: 0,
    info: { modelId: 'fake', runtime: 'none', dims: 2, inputSize: 4 },
    async process(items: WorkItem[]): Promise<WorkResult[]> {
      pool.calls++;
      onProcess?.(items);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return items.map((item) =>
        item.path!.includes('bad')
          ? { ok: false as const, reason: 'not a readable image' }
          : {
              ok: true as const,
              facts: { contentHash: `h:${item.path}`, format: 'jpeg', width: 1, height: 1, takenAt: null, camera: null, lens: null, gpsLat: null, gpsLon: null, dhash: '0', phash: '0' },
              vector: new Float32Array([1, 0]),
              thumbnail: null,
            },
      );
    },
  };
  return pool as unknown as WorkerPool & { calls: number };
}

function setup(count: number) {
  const db = openDatabase(path.join(tempDir(), 'lib.db'));
  const repo = new FilesRepository(db);
  const store = new LibraryStore(db);
  repo.insertPending(Array.from({ length: count }, (_, i) => ({ path: `/r/p-${i}${i === 3 ? '-bad' : ''}.jpg`, size: 10 + i, mtimeMs: 1 })));
  return { db, repo, store, rows: store.pendingUnder(['/r']) };
}

test('every pending row is committed, in batches, with failures recorded', async () => {
  const { repo, store, rows } = setup(70);
  const commits: number[] = [];
  const queue = new EmbedQueue({ repo, store, pool: async () => fakePool(), onCommitted: (_r, c) => commits.push(c.length) });
  queue.add(rows);
  queue.add(rows); // queued twice: done once
  await queue.idle();
  assert.deepEqual(repo.counts(), { indexed: 69, pending: 0, failed: 1 });
  assert.equal(queue.indexed + queue.failed, 70);
  assert.ok(commits.length >= 3, `committed in batches (${commits.join(', ')})`);
  assert.ok(Math.max(...commits) <= 40);
});

test('a file changed or deleted while in the workers is not saved with stale results', async () => {
  const { repo, store, rows } = setup(8);
  let touched = false;
  const pool = fakePool(20, (items) => {
    if (touched) return;
    touched = true;
    // While the first batch is in the workers: one file changes, another is deleted.
    repo.insertPending([{ path: items[0].path!, size: 999, mtimeMs: 2 }]);
    // Deleted the way the watcher deletes: through the reconciliation's removals.
    store.apply({ moves: [], copies: [], touches: [], removals: [repo.byPath(items[1].path!)!.id], pending: [] });
  });
  const queue = new EmbedQueue({ repo, store, pool: async () => pool });
  queue.add(rows);
  await queue.idle();
  const changed = repo.byPath(rows[0].path)!;
  assert.equal(changed.status, 'pending', 'queued again by whoever saw the change, not saved stale');
  assert.equal(repo.byPath(rows[1].path), undefined);
  assert.equal(repo.counts().indexed, 5); // 8 - changed - deleted - the bad one
});

test('stop() finishes the batch in flight and leaves the rest pending', async () => {
  const { repo, store, rows } = setup(40);
  const queue = new EmbedQueue({ repo, store, pool: async () => fakePool(30) });
  queue.add(rows);
  await new Promise((resolve) => setTimeout(resolve, 10));
  await queue.stop();
  const counts = repo.counts();
  assert.ok(counts.indexed > 0 && counts.pending > 0, JSON.stringify(counts));
  assert.equal(counts.indexed + counts.failed, queue.indexed + queue.failed, 'all results in flight were committed');
});

test('a full disk stops the queue with a clear message and keeps what was committed', async () => {
  const { repo, store, rows } = setup(80);
  let saves = 0;
  const realSave = repo.saveResults.bind(repo);
  repo.saveResults = (indexed, failed) => {
    if (++saves === 2) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    realSave(indexed, failed);
  };
  let fatal: Error | null = null;
  const queue = new EmbedQueue({ repo, store, pool: async () => fakePool(), onFatal: (e) => (fatal = e) });
  queue.add(rows);
  await assert.rejects(queue.idle(), (error: unknown) => {
    assert.ok(error instanceof DiskFullError);
    assert.match((error as Error).message, /disk holding the library is full: indexing stopped/);
    return true;
  });
  assert.ok(fatal);
  const counts = repo.counts();
  assert.ok(counts.indexed > 0, 'the first batch is kept');
  assert.equal(counts.indexed + counts.pending + counts.failed, 80, 'nothing lost: the rest is pending');
  const size = queue.size;
  queue.add(rows);
  assert.equal(queue.size, size, 'a dead queue takes no more work');
});

test('after a full disk, the batches still coming back from the workers are not reported as progress', async () => {
  const { repo, store, rows } = setup(80);
  let saves = 0;
  const realSave = repo.saveResults.bind(repo);
  repo.saveResults = (indexed, failed) => {
    if (++saves === 2) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    realSave(indexed, failed);
  };
  let fatal = false;
  const lateProgress: string[] = [];
  const queue = new EmbedQueue({
    repo,
    store,
    pool: async () => fakePool(15),
    onFatal: () => (fatal = true),
    onProgress: (p) => fatal && lateProgress.push(`${p.phase} ${p.done}/${p.total}`),
  });
  queue.add(rows);
  await assert.rejects(queue.idle(), DiskFullError);
  while (queue.size > 0) await new Promise((resolve) => setTimeout(resolve, 5)); // the batches in flight come back
  assert.deepEqual(lateProgress, [], 'a stop is the last word');
});

test('a database error while reading results back stops the queue (no unhandled rejection, no batch in flight for ever)', async () => {
  const { repo, store, rows } = setup(20);
  let reads = 0;
  const realVersions = store.currentVersions.bind(store);
  store.currentVersions = (ids) => {
    if (++reads === 4) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    return realVersions(ids);
  };
  const queue = new EmbedQueue({ repo, store, pool: async () => fakePool(5) });
  queue.add(rows);
  await assert.rejects(queue.idle(), /indexing stopped: disk I\/O error/);
  while (queue.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(queue.size, 0);
});

test('stop() after a full disk returns once the batches in flight are back (closing a stopped library never hangs)', { timeout: 20_000 }, async () => {
  const { repo, store, rows } = setup(80);
  let saves = 0;
  const realSave = repo.saveResults.bind(repo);
  repo.saveResults = (indexed, failed) => {
    if (++saves === 2) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    realSave(indexed, failed);
  };
  const queue = new EmbedQueue({ repo, store, pool: async () => fakePool(30) });
  queue.add(rows);
  await assert.rejects(queue.idle(), DiskFullError);
  assert.ok(queue.size > 0, 'batches are still in the workers');
  await queue.stop();
  assert.equal(queue.size, 0);
});
