/**
 * The watcher's single writer: runs, one at a time, the operations that must not interleave with
 * a pass (scans, root removal), the passes over dirty paths (debounced, and again when a held
 * path's time comes), and the housekeeping once the embedding queue runs dry (the queue paused
 * meanwhile, so no worker writes a thumbnail the sweep would take for an orphan).
 */
import { DiskFullError, explainWriteError, type EmbedQueue } from '../library/embed-queue.js';
import type { ChangedPaths } from './changed-paths.js';

export interface PassLoopParts {
  debounceMs: number;
  deleteGraceMs: number;
  changed: ChangedPaths;
  queue: Pick<EmbedQueue, 'busy' | 'pause' | 'resume' | 'stop' | 'fatal'>;
  pass: () => Promise<void>;
  housekeep: () => Promise<void>;
  /** A pass failed on a full disk: nothing more can be saved (the watcher calls fail()). */
  diskFull: (error: Error) => void;
  /** A pass failed otherwise: reported, and the next one may do better. */
  problem: (reason: string) => void;
}

interface Operation {
  run: () => Promise<void>;
  reject: (error: Error) => void;
}

export class PassLoop {
  private readonly operations: Operation[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity;
  private running: Promise<void> | null = null;
  private again = false;
  private needsHousekeeping = false;
  private housekeeping: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private fatalError: Error | null = null;

  constructor(private readonly parts: PassLoopParts) {}

  get stopped(): boolean {
    return this.closed;
  }

  /** Why the loop stopped for good (a full disk), if it did. */
  get failure(): Error | null {
    return this.fatalError;
  }

  /** A pass soon (events are gathered for `debounceMs` first). */
  kick(delayMs = this.parts.debounceMs): void {
    this.schedule(Date.now() + delayMs);
  }

  /** Housekeeping is due once the queue is dry (rows were removed). */
  housekeepingDue(): void {
    this.needsHousekeeping = true;
  }

  /** The queue ran dry: housekeeping now. */
  drained(): void {
    this.needsHousekeeping = true;
    this.kick(0);
  }

  /** Runs `fn` between two passes. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the watcher was closed'));
    if (this.fatalError) return Promise.reject(this.fatalError);
    return new Promise<T>((resolve, reject) => {
      this.operations.push({
        run: async () => {
          try {
            resolve(await fn());
          } catch (error) {
            reject(error as Error);
          }
        },
        reject,
      });
      this.run();
    });
  }

  busy(): boolean {
    const { changed, queue } = this.parts;
    return (
      (this.running !== null || !changed.empty || this.operations.length > 0 || queue.busy || this.housekeeping !== null || this.needsHousekeeping) &&
      !this.closed &&
      !this.fatalError
    );
  }

  /** Resolves when no event, operation, embedding or housekeeping is outstanding. */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops: `release` lets go of what feeds the loop; the batch in the workers is committed. */
  async close(release: () => Promise<void>): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.rejectOperations(new Error('the watcher was closed'));
    await release();
    await this.running?.catch(() => undefined);
    await this.parts.queue.stop();
    await this.housekeeping?.catch(() => undefined);
    this.rejectOperations(new Error('the watcher was closed'));
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Stops for good on `error` (nothing more can be saved); `release` lets go of the rest. */
  fail(error: Error, release: () => void): void {
    if (this.fatalError) return;
    this.fatalError = error;
    if (this.timer) clearTimeout(this.timer);
    release();
    this.rejectOperations(error);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private rejectOperations(error: Error): void {
    for (const op of this.operations.splice(0)) op.reject(error);
  }

  private schedule(due: number): void {
    if (this.closed) return;
    if (this.timer && due >= this.timerDue) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDue = Infinity;
      this.run();
    }, Math.max(0, due - Date.now()));
  }

  private run(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          while (this.operations.length > 0 && !this.closed) await this.operations.shift()!.run();
          await this.parts.pass();
          await this.maybeHousekeep();
        } catch (error) {
          if (this.parts.queue.fatal) break; // the queue reported it
          const explained = explainWriteError(error as Error);
          if (explained instanceof DiskFullError) {
            this.parts.diskFull(explained);
            break;
          }
          this.parts.problem(`watcher pass failed: ${(error as Error).message}`);
        }
      } while (this.again && !this.closed);
    })().finally(() => {
      this.running = null;
      this.scheduleNext();
      if (!this.busy()) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  private scheduleNext(): void {
    const { changed, queue } = this.parts;
    let next = changed.nextDue(this.parts.deleteGraceMs);
    if (this.needsHousekeeping && !queue.busy && changed.dirty.size === 0) next = Math.min(next, Date.now());
    if (next !== Infinity) this.schedule(Math.max(next, Date.now() + 10));
  }

  private async maybeHousekeep(): Promise<void> {
    const { changed, queue } = this.parts;
    if (!this.needsHousekeeping || queue.busy || changed.dirty.size > 0 || this.operations.length > 0 || this.closed) return;
    this.needsHousekeeping = false;
    queue.pause();
    this.housekeeping = this.parts.housekeep().finally(() => queue.resume());
    try {
      await this.housekeeping;
    } finally {
      this.housekeeping = null;
    }
  }
}
