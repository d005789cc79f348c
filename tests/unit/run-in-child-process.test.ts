import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInChildProcess } from '../../main/core/threads/run-once.js';

const script = new URL('../helpers/child-task.js', import.meta.url);

test('a child task answers with its result, typed arrays intact, from another process that then ends', async () => {
  const echo = Float32Array.from([1.5, -2, 3.25]);
  const answer = await runInChildProcess<{ echo: Float32Array; pid: number }>(script, { echo }, 'the echo process');
  assert.deepEqual(answer.echo, echo);
  assert.ok(answer.echo instanceof Float32Array);
  assert.notEqual(answer.pid, process.pid);
  assert.throws(() => process.kill(answer.pid, 0), /ESRCH/, 'the child has ended');
});

test("a child task's failure rejects with its message; a child that dies rejects saying so", async () => {
  await assert.rejects(runInChildProcess(script, { fail: 'no such library' }, 'the echo process'), /^Error: no such library$/);
  await assert.rejects(runInChildProcess(script, { die: true }, 'the echo process'), /the echo process ended without an answer \(code 3\)/);
});
