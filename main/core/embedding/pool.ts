/**
 * A pool of embedding worker threads (one per core by default). Callers submit batches of work
 * items and get results in the same order; idle workers take the next batch from the queue.
 * A worker that dies fails only its own batch and is replaced.
 *
 * Closing waits for the batches in the workers to finish before ending the threads: a thread
 * terminated while sharp or ONNX Runtime is still working for it aborts the whole process
 * (`terminate called after throwing an instance of 'Napi::Error'`, exit 134) when the native
 * work completes into a JavaScript world that is gone — which is how a full disk, stopping the
 * index mid-batch, used to end.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EngineOptions } from './engine.js';
import type { EngineInfo, FromWorker, WorkItem, WorkResult, WorkerConfig } from './worker-protocol.js';

interface Job {
  id: number;
  items: WorkItem[];
  resolve: (results: WorkResult[]) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  /** Set while the pool is closing: called when this slot's batch is done. */
  drained?: () => void;
}

export interface PoolOptions {
  engine: EngineOptions;
  workers?: number;
  thumbnailDir?: string;
}

/** How long close() waits for the batches in flight before ending the threads anyway. */
const CLOSE_GRACE_MS = 60_000;

export function defaultWorkerCount(): number {
  return Math.max(1, os.availableParallelism());
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly config: WorkerConfig,
    readonly info: EngineInfo,
  ) {}

  static async start(options: PoolOptions): Promise<WorkerPool> {
    const count = Math.max(1, Math.floor(options.workers ?? defaultWorkerCount()) || 1);
    const config: WorkerConfig = { engine: options.engine, thumbnailDir: options.thumbnailDir };
    const started = await Promise.allSettled(Array.from({ length: count }, () => spawn(config)));
    const failed = started.find((s) => s.status === 'rejected');
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (failed) {
      await Promise.all(workers.map((w) => w.worker.terminate()));
      throw (failed as PromiseRejectedResult).reason;
    }
    const pool = new WorkerPool(config, workers[0].info);
    for (const { worker } of workers) pool.adopt(worker);
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  process(items: WorkItem[]): Promise<WorkResult[]> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, items, resolve });
      this.dispatch();
    });
  }

  /** Takes no more work, fails what is queued, lets the batches in the workers finish, then ends them. */
  async close(): Promise<void> {
    if (this.closed) return this.closing ?? undefined;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve(job.items.map(() => ({ ok: false as const, reason: 'the worker pool is closed' })));
    this.closing = (async () => {
      const busy = this.slots.filter((slot) => slot.job).map((slot) => new Promise<void>((resolve) => (slot.drained = resolve)));
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)));
      await Promise.race([Promise.all(busy), grace]);
      clearTimeout(timer);
      await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
      this.slots.length = 0;
    })();
    return this.closing;
  }

  private adopt(worker: Worker): void {
    const slot: Slot = { worker, job: null };
    this.slots.push(slot);
    worker.on('message', (message: FromWorker) => {
      if (message.type !== 'results' || !slot.job || slot.job.id !== message.id) return;
      const job = slot.job;
      slot.job = null;
      job.resolve(message.results);
      slot.drained?.();
      this.dispatch();
    });
    worker.on('error', (error: Error) => this.replace(slot, `the embedding worker crashed: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.closed) slot.drained?.();
      else this.replace(slot, `the embedding worker exited (code ${code})`);
    });
  }

  private replace(slot: Slot, reason: string): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.job?.resolve(slot.job.items.map(() => ({ ok: false as const, reason })));
    slot.job = null;
    slot.drained?.();
    void slot.worker.terminate();
    if (this.closed) return;
    spawn(this.config)
      .then(({ worker }) => {
        if (this.closed) return void worker.terminate();
        this.adopt(worker);
        this.dispatch();
      })
      .catch(() => {
        // The engine started before, so this is transient (e.g. out of memory); if no worker is
        // left, fail the queue rather than hang.
        if (this.slots.length === 0) for (const job of this.queue.splice(0)) job.resolve(job.items.map(() => ({ ok: false as const, reason })));
      });
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.job) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.job = job;
      slot.worker.postMessage({ type: 'process', id: job.id, items: job.items });
    }
  }
}

/** Every worker says which engine it runs; the user needs to read that once per process. */
const printedLines = new Set<string>();
function printOnce(message: FromWorker): void {
  if (message.type !== 'log' || printedLines.has(message.line)) return;
  printedLines.add(message.line);
  process.stderr.write(`${message.line}\n`);
}

function spawn(config: WorkerConfig): Promise<{ worker: Worker; info: EngineInfo }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: config });
    worker.on('message', printOnce);
    const onMessage = (message: FromWorker) => {
      if (message.type === 'ready') {
        cleanup();
        const { type: _type, ...info } = message;
        resolve({ worker, info });
      } else if (message.type === 'startup-failed') {
        cleanup();
        void worker.terminate();
        reject(new Error(`the embedding engine could not start: ${message.message}`));
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new Error(`the embedding worker could not start: ${error.message}`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
  });
}
