/**
 * The decode + embed stage as a queue: pending rows go in (a one-shot pass puts in all of them,
 * a watcher a few at a time as files land), the worker pool is kept busy with a bounded number of
 * tasks in flight, and results are committed in small transactions, at once when the queue runs
 * dry (so one new photo is searchable without waiting for a batch to fill) and every
 * COMMIT_EVERY results during a burst. A crash loses at most the uncommitted batch; those rows
 * are still 'pending' in the database and are picked up by the next pass.
 *
 * A result is only saved if its row still exists with the size and mtime it had when it was sent
 * (a file changed or deleted meanwhile is simply queued again or forgotten). A full disk (or any
 * database write error) stops the queue with a clear message instead of corrupting anything.
 */
import type { FilesRepository, IndexedResult } from '../store/files-repository.js';
import type { WorkerPool } from '../embedding/pool.js';
import type { WorkResult } from '../embedding/worker-protocol.js';
import type { FileVersion, LibraryStore } from './library-store.js';
import { ProgressMeter } from './progress.js';
import type { IndexProgress } from '../types.js';

/** Images per worker message: small, since TF.js gains nothing from batching (measured). */
export const ITEMS_PER_TASK = 4;
/** Results per database transaction during a burst. */
export const COMMIT_EVERY = 32;
/** ... and at least this often (ms), so a long burst becomes searchable as it goes. */
const COMMIT_INTERVAL_MS = 1000;

export interface Committed {
  id: number;
  path: string;
  ok: boolean;
  reason?: string;
  /** True when the row had been indexed before (a changed file), false when new. */
  wasIndexed: boolean;
}

export interface EmbedQueueDeps {
  repo: FilesRepository;
  store: LibraryStore;
  pool: () => Promise<WorkerPool>;
  /** New vectors committed (for the in-memory search index) and what the rows were. */
  onCommitted?: (results: IndexedResult[], committed: Committed[]) => void;
  onProgress?: (progress: IndexProgress) => void;
  /** The queue ran dry after some work (a good moment for housekeeping). */
  onDrained?: () => void;
  /** The queue stopped for good (disk full, database unwritable). */
  onFatal?: (error: Error) => void;
}

export class DiskFullError extends Error {
  constructor(cause: Error) {
    super(
      'the disk holding the library is full: indexing stopped. Everything indexed so far is kept and the ' +
        `database is intact; free some space and run again to index the rest. (${cause.message})`,
    );
  }
}

/** A database write error as the user should read it (a full disk says so). */
export function explainWriteError(error: Error): Error {
  if (error instanceof DiskFullError) return error;
  return isDiskFull(error) ? new DiskFullError(error) : error;
}

/** A row as it was when sent to the workers: its result is saved only if it still is. */
interface Sent {
  id: number;
  version: FileVersion;
}

export class EmbedQueue {
  private readonly waiting: { id: number }[] = [];
  private readonly queuedIds = new Set<number>();
  /** Indexed rows queued only for a vector of the library's new model (they stay 'indexed'). */
  private readonly reembedIds = new Set<number>();
  private inFlight = 0;
  private indexedBuffer: IndexedResult[] = [];
  private failedBuffer: { id: number; reason: string }[] = [];
  private committedBuffer: Committed[] = [];
  private lastCommit = Date.now();
  private stopping = false;
  private fatalError: Error | null = null;
  private paused = 0;
  private idleWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private meter = new ProgressMeter(0);
  private failedCount = 0;
  private poolPromise: Promise<WorkerPool> | null = null;
  private pumping = false;
  private worked = false;
  indexed = 0;
  failed = 0;

  constructor(private readonly deps: EmbedQueueDeps) {}

  get fatal(): Error | null {
    return this.fatalError;
  }

  /** Rows waiting or in the workers. */
  get size(): number {
    return this.waiting.length + this.inFlight;
  }

  get busy(): boolean {
    return this.size > 0 || this.indexedBuffer.length + this.failedBuffer.length > 0;
  }

  /**
   * Queues pending rows (by id; the row is read again when sent). With `reembed`, the rows are
   * indexed ones that only need a vector of the new model: they stay 'indexed' (browsable and
   * searchable with the old vectors) while they wait.
   */
  add(rows: { id: number }[], options: { reembed?: boolean } = {}): void {
    if (this.stopping || this.fatalError) return;
    let added = 0;
    for (const row of rows) {
      if (this.queuedIds.has(row.id)) continue;
      this.queuedIds.add(row.id);
      if (options.reembed) this.reembedIds.add(row.id);
      this.waiting.push(row);
      added++;
    }
    if (added === 0) return;
    if (!this.busyBefore()) {
      this.meter = new ProgressMeter(0);
      this.failedCount = 0;
    }
    this.meter.grow(added);
    this.worked = true;
    void this.pump();
  }

  /** Resolves when nothing is waiting, in flight or uncommitted; rejects if the queue died. */
  idle(): Promise<void> {
    if (this.fatalError) return Promise.reject(this.fatalError);
    if (!this.busy || (this.stopping && this.inFlight === 0)) return Promise.resolve();
    return new Promise((resolve, reject) => this.idleWaiters.push({ resolve, reject }));
  }

  /** Holds new dispatches (in-flight work still completes); pairs with resume(). */
  pause(): void {
    this.paused++;
  }

  resume(): void {
    this.paused = Math.max(0, this.paused - 1);
    void this.pump();
  }

  /** Finishes the tasks in flight, commits them and takes no more; waiting rows stay pending. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.waiting.length = 0;
    this.queuedIds.clear();
    this.reembedIds.clear();
    await new Promise<void>((resolve) => {
      if (this.inFlight === 0) return resolve();
      this.idleWaiters.push({ resolve, reject: () => resolve() });
    });
    this.flush();
  }

  private busyBefore(): boolean {
    return this.inFlight > 0 || this.waiting.length > 0;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting.length > 0 && !this.stopping && !this.fatalError && this.paused === 0) {
        this.poolPromise ??= this.deps.pool();
        let pool: WorkerPool;
        try {
          pool = await this.poolPromise;
        } catch (error) {
          this.die(error as Error);
          return;
        }
        if (this.inFlight >= pool.size * 2 * ITEMS_PER_TASK) return; // a completion pumps again
        const taken = this.waiting.splice(0, ITEMS_PER_TASK);
        const reembed = new Set(taken.filter((row) => this.reembedIds.has(row.id)).map((row) => row.id));
        for (const row of taken) {
          this.queuedIds.delete(row.id);
          this.reembedIds.delete(row.id);
        }
        // Send each file as it is now (it may have changed or moved since it was queued).
        const versions = this.deps.store.currentVersions(taken.map((row) => row.id));
        const task: Sent[] = [];
        for (const row of taken) {
          const version = versions.get(row.id);
          if (version && (version.status === 'pending' || (version.status === 'indexed' && reembed.has(row.id)))) task.push({ id: row.id, version });
        }
        const skipped = taken.length - task.length;
        if (skipped) this.meter.advance(skipped, false);
        if (task.length === 0) continue;
        this.inFlight += task.length;
        void this.run(pool, task);
      }
    } catch (error) {
      this.die(error as Error); // the database failed reading the rows to send: a stop
    } finally {
      this.pumping = false;
      this.settle();
    }
  }

  private async run(pool: WorkerPool, task: Sent[]): Promise<void> {
    let results;
    try {
      results = await pool.process(task.map((s) => ({ path: s.version.path, thumbnail: true })));
    } catch (error) {
      results = task.map(() => ({ ok: false as const, reason: `could not process image: ${(error as Error).message}` }));
    }
    try {
      this.receive(pool, task, results);
    } catch (error) {
      // A database error while reading the rows back (disk full, I/O error): a stop, never an
      // unhandled rejection that leaves the batch counted as in flight for ever.
      this.inFlight = Math.max(0, this.inFlight - task.length);
      this.die(error as Error);
      this.settle();
      return;
    }
    void this.pump();
  }

  private receive(pool: WorkerPool, task: Sent[], results: WorkResult[]): void {
    // Only save what still describes the row: same file version, row not forgotten meanwhile.
    const now = this.deps.store.currentVersions(task.map((s) => s.id));
    results.forEach((result, i) => {
      const { id, version } = task[i];
      const current = now.get(id);
      if (!current || current.size !== version.size || current.mtime_ms !== version.mtime_ms || current.status !== version.status) return;
      const committed: Committed = { id, path: current.path, ok: result.ok, wasIndexed: version.indexed_at !== null };
      if (result.ok) {
        this.indexedBuffer.push({ id, facts: result.facts, vector: result.vector, modelId: pool.info.modelId, thumbnail: result.thumbnail });
        this.indexed++;
      } else {
        this.failedBuffer.push({ id, reason: result.reason });
        committed.reason = result.reason;
        this.failed++;
        this.failedCount++;
      }
      this.committedBuffer.push(committed);
    });
    this.inFlight -= task.length;
    this.meter.advance(task.length);
    const buffered = this.indexedBuffer.length + this.failedBuffer.length;
    if (buffered >= COMMIT_EVERY || this.waiting.length === 0 || Date.now() - this.lastCommit >= COMMIT_INTERVAL_MS) this.flush();
    // After a stop, the batches still coming back are not progress: the stop was reported.
    if (this.fatalError) return this.settle();
    this.deps.onProgress?.({ phase: 'indexing', ...this.meter.snapshot(), failed: this.failedCount, current: task[task.length - 1].version.path });
  }

  private flush(): void {
    if (this.fatalError) return;
    if (this.indexedBuffer.length === 0 && this.failedBuffer.length === 0) return;
    const indexed = this.indexedBuffer;
    const failed = this.failedBuffer;
    const committed = this.committedBuffer;
    this.indexedBuffer = [];
    this.failedBuffer = [];
    this.committedBuffer = [];
    // Rows deleted while their result was in the post (the check above ran before an await).
    const alive = this.deps.store.currentVersions([...indexed.map((r) => r.id), ...failed.map((f) => f.id)]);
    try {
      this.deps.repo.saveResults(
        indexed.filter((r) => alive.has(r.id)),
        failed.filter((f) => alive.has(f.id)),
      );
    } catch (error) {
      this.die(error as Error);
      return;
    }
    this.lastCommit = Date.now();
    this.deps.onCommitted?.(
      indexed.filter((r) => alive.has(r.id)),
      committed.filter((c) => alive.has(c.id)),
    );
  }

  private die(error: Error): void {
    if (this.fatalError) return;
    this.fatalError = isDiskFull(error) ? new DiskFullError(error) : new Error(`indexing stopped: ${error.message}`);
    this.stopping = true;
    this.waiting.length = 0;
    this.queuedIds.clear();
    this.reembedIds.clear();
    this.deps.onFatal?.(this.fatalError);
    for (const waiter of this.idleWaiters.splice(0)) waiter.reject(this.fatalError);
  }

  private settle(): void {
    if (this.inFlight > 0) return;
    if (this.waiting.length > 0 && !this.stopping && this.paused === 0) return;
    if (this.waiting.length === 0 || this.stopping) {
      this.flush();
      if (this.fatalError) {
        // The last batch of a dead queue came back: stop() may be waiting for it.
        for (const waiter of this.idleWaiters.splice(0)) waiter.reject(this.fatalError);
        return;
      }
      for (const waiter of this.idleWaiters.splice(0)) waiter.resolve();
      if (this.worked && !this.stopping) {
        this.worked = false;
        const snapshot = this.meter.snapshot();
        this.deps.onProgress?.({ phase: 'done', done: snapshot.total, total: snapshot.total, failed: this.failedCount, imagesPerSecond: snapshot.imagesPerSecond, etaSeconds: 0 });
        this.deps.onDrained?.();
      }
    }
  }
}

export function isDiskFull(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === 'SQLITE_FULL' || e?.code === 'ENOSPC' || /database or disk is full|ENOSPC|no space left/i.test(e?.message ?? '');
}
