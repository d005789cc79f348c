/** Runs the `likeness` command as a user would: a separate process, its exit code and output. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI } from './datasets.js';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `likeness <args>`; a non-zero exit is returned as its code, not thrown. */
export async function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { ...options, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
