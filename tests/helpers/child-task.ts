/** A child task for the run-once tests: echoes its input, fails when asked, or dies without a word. */
import { childTask } from '../../main/core/threads/run-once.js';

childTask(async (input: { echo?: Float32Array; fail?: string; die?: boolean }) => {
  if (input.die) process.exit(3);
  if (input.fail) throw new Error(input.fail);
  return { echo: input.echo, pid: process.pid };
});
