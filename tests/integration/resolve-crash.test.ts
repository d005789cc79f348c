/**
 * Fault test: a `dupes resolve` of 300 pairs (the real Library.resolveDupes in a child process) is
 * SIGKILLed at random moments; the library is reopened and the resolution undone. Every photo must
 * be back, byte-identical (sha256), and in the index, with nothing left in the trash, run after run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../helpers/datasets.js';
import { resolveCrashLoop } from '../helpers/resolve-crash.js';

test('SIGKILL at random points of a resolve, then undo: every file back, nothing left in the trash', { timeout: 120_000 }, async () => {
  const loop = await resolveCrashLoop(tempDir('likeness-resolve-crash-'), { pairs: 300, runs: 8 });
  const killed = loop.runs.filter((r) => r.killedAfterMs !== null);
  assert.ok(killed.length >= loop.runs.length / 2, `most runs were killed mid-way (${killed.length} of ${loop.runs.length})`);
  assert.ok(killed.some((r) => r.inTrashAtKill > 0), 'some kills came after files had moved');
  for (const [i, run] of loop.runs.entries()) {
    const when = `run ${i + 1}, killed ${run.killedAfterMs ?? '(finished)'} ms in, ${run.inTrashAtKill} in the trash then`;
    assert.deepEqual(run.lost, [], `no photo lost or changed (${when})`);
    assert.deepEqual(run.leftNames, [], `nothing left in the trash after undo (${when})`);
    assert.equal(run.unindexed, 0, `every photo is in the index again (${when})`);
    assert.ok(run.restored >= run.inTrashAtKill, `undo restored what had moved (${when})`);
    if (run.killedAfterMs !== null && run.restored > 0 && run.restored < loop.pairs) {
      assert.ok(run.recovered > 0, `the reopened library said what it finished or rolled back (${when})`);
    }
  }
});
