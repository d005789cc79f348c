/** A script run once off the main thread: resolves with the one answer it gives, then ends it. */
import { fork, type Serializable } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** In a worker thread: cheap to start, and the data it is given is shared or moved, not piped. */
export function runOnce<T>(script: URL, workerData: unknown, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData });
    let settled = false;
    worker.once('message', (result: T) => {
      settled = true;
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`${what} exited (code ${code})`));
    });
  });
}

/** What a child script (see childTask) sends back: its answer, or why it has none. */
export type ChildReply<T> = { answer: T } | { error: string };

/**
 * In a child process, for work that holds much memory for a while: when a worker thread ends,
 * the allocator keeps the pages it freed (a duplicates run at 100k photos left a server 450 MB
 * bigger), while a process's memory all goes back to the system. Costs a Node start (about
 * 0.1 s). In Electron the child is Electron's binary run as plain Node.
 */
export function runInChildProcess<T>(script: URL, input: Serializable, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(script), [], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      // Not the parent's flags: an --inspect port is taken, and Electron's mean nothing to Node.
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let reply: ChildReply<T> | undefined;
    child.once('message', (message: ChildReply<T>) => {
      reply = message;
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (reply && 'answer' in reply) resolve(reply.answer);
      else reject(new Error(reply?.error ?? `${what} ended without an answer (${signal ?? `code ${code}`})`));
    });
    child.send(input);
  });
}

/** The child's side of runInChildProcess: answers the one input it is sent, then ends. */
export function childTask<I, T>(work: (input: I) => Promise<T>): void {
  if (!process.send || !process.disconnect) throw new Error('a child task runs only in a process started by runInChildProcess');
  const parent = process as typeof process & Required<Pick<typeof process, 'send' | 'disconnect'>>;
  // The parent gone (killed, crashed): nobody wants the answer.
  process.once('disconnect', () => process.exit(0));
  process.once('message', (input: I) => {
    const reply = (message: ChildReply<T>) => parent.send(message, () => parent.disconnect());
    work(input).then(
      (answer) => reply({ answer }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
