/**
 * The resolve crash loop (see tests/helpers/resolve-crash.ts): 400 pairs resolved by a child
 * process SIGKILLed at random moments, then the library reopened and the resolution undone.
 * Prints files lost (must be 0) and left in the trash after undo (must be 0), beside the
 * uninterrupted resolve + undo measured in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveCrashLoop } from '../tests/helpers/resolve-crash.js';

export async function benchResolveCrash(pairs = 400, runs = 10): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-bench-resolve-crash-'));
  try {
    const loop = await resolveCrashLoop(dir, { pairs, runs });
    const killed = loop.runs.filter((r) => r.killedAfterMs !== null);
    const lost = loop.runs.reduce((n, r) => n + r.lost.length, 0);
    const left = loop.runs.reduce((n, r) => n + r.leftInTrash, 0);
    const unindexed = loop.runs.reduce((n, r) => n + r.unindexed, 0);
    const moved = killed.map((r) => r.inTrashAtKill);
    return [
      `uninterrupted resolve of ${pairs} pairs (baseline, then undone): ${(loop.fullResolveMs / 1000).toFixed(2)} s`,
      `${runs} runs, ${killed.length} SIGKILLed mid-resolution (files already in the trash at the kill: ${moved.join(', ') || 'none'})`,
      `after reopen + undo: files lost ${lost} (must be 0), left in the trash ${left} (must be 0), out of the index ${unindexed} (must be 0)`,
      `settled on reopen (finished or rolled back): ${loop.runs.map((r) => r.recovered).join(', ')}`,
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
