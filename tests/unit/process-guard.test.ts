/**
 * guardProcess: a throw from a callback and a promise nobody awaited, in a real child process,
 * are reported and logged, and the process lives on (it exits only when its work is done).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const guard = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'main', 'api', 'process-guard.js')).href;

function runChild(install: boolean) {
  const script = `
    const { guardProcess } = await import(${JSON.stringify(guard)});
    const reports = [];
    if (${install}) guardProcess((error, origin) => reports.push(origin + ': ' + error.message), () => {});
    setTimeout(() => { throw new Error('vector has 1792 dimensions, index has 1'); }, 10);
    setTimeout(() => { Promise.reject(new Error('watcher went away')); }, 20);
    setTimeout(() => { console.log(JSON.stringify(reports)); }, 200);
  `;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
}

describe('guardProcess', () => {
  it('reports an uncaught exception and an unhandled rejection, and keeps the process running', () => {
    const child = runChild(true);
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout.trim()), [
      'uncaught exception: vector has 1792 dimensions, index has 1',
      'unhandled rejection: watcher went away',
    ]);
  });

  it('without it, the same throw ends the process (what `likeness serve` did on first run)', () => {
    const child = runChild(false);
    assert.notEqual(child.status, 0);
    assert.equal(child.stdout.trim(), '');
  });
});
