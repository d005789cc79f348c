/**
 * `likeness index` end to end, as a user runs it, once per engine in the same run: process start,
 * engine start-up, scan, decode, CNN, database and the whitening fit, each in a fresh library.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI } from '../tests/helpers/datasets.js';

export function benchCliIndex(folder: string, label: string): string[] {
  const seconds: Record<string, number> = {};
  for (const engine of ['onnx', 'tfjs']) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-bench-cli-'));
    try {
      const started = performance.now();
      const run = spawnSync(process.execPath, [CLI, 'index', folder, '--db', path.join(dir, 'bench.db'), '--engine', engine], {
        encoding: 'utf8',
        env: { ...process.env, LIKENESS_ANNOTATE: 'off' }, // embedding alone, as before annotation existed; see the annotation section
      });
      if (run.status !== 0) return [`cli index ${label} engine=${engine} failed: ${run.stderr.trim().split('\n').pop()}`];
      seconds[engine] = (performance.now() - started) / 1000;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return [
    `cli index ${label}, fresh library, wall clock:  onnx ${seconds.onnx.toFixed(1)} s   tfjs ${seconds.tfjs.toFixed(1)} s   ratio ×${(seconds.tfjs / seconds.onnx).toFixed(2)}`,
  ];
}
