/**
 * Fault test for the persistent search space: a process adding photos, refitting, building the
 * HNSW index and the neighbour graph is killed with SIGKILL at several moments. After each kill
 * the database passes integrity_check and a new process opens exactly the space a full rebuild
 * from the raw vectors gives, and answers `similar`, `dupes` and `clusters` as with a graph
 * computed from scratch.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import { findLibraryDuplicates } from '../../main/core/duplicates/duplicates-service.js';
import { toSearchSpace } from '../../main/core/search/whitening.js';
import { REPO_ROOT, tempDir } from '../helpers/datasets.js';

const WRITER = path.join(REPO_ROOT, 'dist', 'tests', 'helpers', 'search-space-writer.js');

async function runAndKill(dbPath: string, afterMs: number): Promise<string> {
  const child = spawn(process.execPath, [WRITER, dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  child.kill('SIGKILL');
  await exited;
  return output;
}

async function assertAsRebuilt(dbPath: string, when: string): Promise<void> {
  const library = Library.open({ dbPath, annFrom: 500 });
  try {
    assert.equal(library.db.pragma('integrity_check', { simple: true }), 'ok', `integrity after ${when}`);
    const index = library.searchIndex(); // (first: it fits the whitening if none was saved yet)
    const whitening = library.files.whitening(library.modelId);
    let count = 0;
    library.files.forEachVector(library.modelId, (id, raw) => {
      count++;
      assert.deepEqual(index.vector(id), toSearchSpace(raw, whitening), `photo ${id} after ${when}`);
    });
    assert.equal(index.size, count, `the space holds every indexed photo after ${when}`);
    if (count === 0) return;
    const [id] = index.allIds();
    const truth = index.search(index.vector(id)!, 10, new Set([id]));
    // The search layer; similar then re-ranks these candidates by design (search/rerank.ts).
    const answer = library.candidates(index.vector(id)!, 10, new Set([id]));
    const found = answer.filter((r) => truth.some((t) => t.id === r.id)).length;
    const [shown] = await library.similar([library.photo(id)!.path], 10);
    assert.equal(shown.results.length, 10, `similar answers after ${when}`);
    assert.ok(found >= 9, `similar after ${when} (${library.searchKind()}): ${found}/10 of the exact answer`);
    console.log(`# ${when}: ${count} photos, ${library.searchKind()}`);
    const kept = await library.dupes();
    const fresh = await findLibraryDuplicates({ db: library.db, modelId: library.modelId, searchIndex: () => library.searchIndex() }, {});
    assert.deepEqual(
      kept.groups.map((g) => g.paths),
      fresh.groups.map((g) => g.paths),
      `dupes from the kept graph after ${when}`,
    );
  } finally {
    await library.close();
  }
}

describe('search space crash safety', { timeout: 300_000 }, () => {
  test('SIGKILL while the space, its refit, the HNSW index or the graph are written: reopening gives a full rebuild', async () => {
    const dbPath = path.join(tempDir('likeness-space-crash-'), 'library.db');
    for (const ms of [900, 2500, 4200, 6500, 9000]) {
      const output = await runAndKill(dbPath, ms);
      assert.doesNotMatch(output, /Error/, output);
      await assertAsRebuilt(dbPath, `a kill at ${ms} ms (${output.trim().split('\n').pop() || 'no round finished'})`);
    }
  });
});
