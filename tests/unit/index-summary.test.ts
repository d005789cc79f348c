/**
 * An index pass's summary agrees with `status`: what the scan could not read counts as failed
 * (it is recorded so), and files an earlier pass left pending are "resumed", not also
 * "unchanged" (a rerun after a full disk said "916 new or changed, 1000 unchanged … of 1000").
 * The embedding is a stand-in pool (no CNN); the files are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../main/core/store/database.js';
import { FilesRepository } from '../../main/core/store/files-repository.js';
import { LibraryStore } from '../../main/core/library/library-store.js';
import { indexFolders, scanAndReconcile, type IndexerDeps } from '../../main/core/library/indexer.js';
import type { WorkerPool } from '../../main/core/embedding/pool.js';
import type { WorkItem, WorkResult } from '../../main/core/embedding/worker-protocol.js';
import { tempDir } from '../helpers/datasets.js';

const pool = {
  size: 1,
  info: { modelId: 'fake', runtime: 'none', dims: 2, inputSize: 4 },
  async process(items: WorkItem[]): Promise<WorkResult[]> {
    return items.map((item) => ({
      ok: true as const,
      facts: { contentHash: `h:${item.path}`, format: 'jpeg', width: 1, height: 1, takenAt: null, camera: null, lens: null, gpsLat: null, gpsLon: null, dhash: '0', phash: '0' },
      vector: new Float32Array([1, 0]),
      thumbnail: null,
    }));
  },
} as unknown as WorkerPool;

function setup() {
  const dir = path.join(tempDir('likeness-summary-'), 'photos');
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(dir, `p${i}.jpg`), `photo ${i}`);
  const db = openDatabase(path.join(path.dirname(dir), 'library.db'));
  const repo = new FilesRepository(db);
  const store = new LibraryStore(db);
  store.addRoot(dir, {});
  const deps: IndexerDeps = { repo, store, pool: async () => pool, modelId: 'fake', exclude: [], onIndexed: () => {} };
  return { dir, repo, deps };
}

test('what the scan could not read is counted as failed, as status counts it', async () => {
  const { dir, repo, deps } = setup();
  fs.symlinkSync(path.join(dir, 'nowhere.jpg'), path.join(dir, 'broken.jpg'));
  fs.symlinkSync(path.join(dir, 'loop.jpg'), path.join(dir, 'loop.jpg'));
  const summary = await indexFolders([dir], deps);
  assert.equal(summary.indexed, 6);
  assert.equal(summary.failed, repo.counts().failed);
  assert.equal(summary.failed, 2);
});

test('files an earlier pass left pending are resumed, not also unchanged', async () => {
  const { dir, repo, deps } = setup();
  await scanAndReconcile([dir], deps); // an earlier pass that stopped before embedding anything
  assert.equal(repo.counts().pending, 6);
  const summary = await indexFolders([dir], deps);
  assert.equal(summary.scanned, 6);
  assert.equal(summary.indexed, 6);
  assert.equal(summary.resumed, 6);
  assert.equal(summary.unchanged, 0);
  assert.ok(summary.indexed + summary.unchanged <= summary.scanned, JSON.stringify(summary));
  const again = await indexFolders([dir], deps);
  assert.deepEqual([again.indexed, again.unchanged, again.resumed], [0, 6, undefined]);
});
