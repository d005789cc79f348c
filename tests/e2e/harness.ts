/** Runs the `likeness` command for the end-to-end tests: one-shot commands and `likeness serve`. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
}

export interface Served {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `node bin/likeness.js …args`, resolving when it exits 0 (rejecting with its stderr otherwise). */
export function likeness(args: string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(options.cwd, 'bin', 'likeness.js'), ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`likeness ${args.join(' ')} exited with ${code}: ${err.trim()}`))));
  });
}

/** `likeness serve …args`: resolves with the URL it prints as its first line. */
export async function serve(args: string[], options: RunOptions, timeoutMs = 60_000): Promise<Served> {
  return start([path.join(options.cwd, 'bin', 'likeness.js'), 'serve', ...args], options, timeoutMs);
}

function start(argv: string[], options: RunOptions, timeoutMs: number): Promise<Served> {
  const child = spawn(process.execPath, argv, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`likeness serve printed no URL within ${timeoutMs} ms: ${err.trim()}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve({ url: line.trim(), process: child, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`likeness serve exited with ${code} before printing its URL: ${err.trim()}`));
    });
  });
}
