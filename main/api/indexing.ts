/**
 * Runs indexing passes over the library roots in the background, one at a time, and publishes
 * their progress. A request made while a pass runs is remembered and starts one more pass when it
 * ends (so a root added mid-pass is not missed). Progress events are throttled to ~5 per second.
 */
import type { IndexingState } from '../../preload/contract.js';
import type { IndexProgress } from '../core/types.js';
import type { CoreLibrary } from './library-port.js';

const PROGRESS_INTERVAL_MS = 200;

export class IndexingManager {
  private state: IndexingState = { running: false, progress: null, last: null, error: null };
  private controller: AbortController | null = null;
  private again = false;
  private current: Promise<void> | null = null;
  private lastEmit = 0;
  private readonly extra = new Set<string>();
  private trailing: NodeJS.Timeout | null = null;

  constructor(
    private readonly library: CoreLibrary,
    private readonly onState: (state: IndexingState) => void,
    private readonly onChanged: () => void,
  ) {}

  snapshot(): IndexingState {
    return structuredClone(this.state);
  }

  /**
   * Starts a pass over every root plus `extra` folders (which indexing makes roots), or queues
   * one after the running pass.
   */
  start(extra: string[] = []): IndexingState {
    for (const folder of extra) this.extra.add(folder);
    if (this.current) {
      this.again = true;
    } else {
      this.current = this.loop().finally(() => {
        this.current = null;
      });
    }
    return this.snapshot();
  }

  cancel(): IndexingState {
    this.again = false;
    this.controller?.abort();
    return this.snapshot();
  }

  /** Resolves when no pass runs (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.current) await this.current;
  }

  async stop(): Promise<void> {
    this.cancel();
    await this.idle();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.pass();
    } while (this.again);
  }

  private async pass(): Promise<void> {
    const roots = [...new Set([...this.library.roots(), ...this.extra])];
    this.extra.clear();
    if (roots.length === 0) return;
    const controller = new AbortController();
    this.controller = controller;
    this.state = {
      ...this.state,
      running: true,
      error: null,
      progress: { phase: 'scanning', done: 0, total: 0, failed: 0, imagesPerSecond: 0, etaSeconds: null },
    };
    this.emit(true);
    try {
      const summary = await this.library.index(roots, {
        signal: controller.signal,
        onProgress: (p: IndexProgress) => {
          this.state.progress = { ...p };
          this.emit(p.phase === 'done');
        },
      });
      this.state.last = { ...summary, finishedAt: new Date().toISOString() };
    } catch (error) {
      this.state.error = controller.signal.aborted ? 'Indexing was stopped' : errorMessage(error);
    } finally {
      this.controller = null;
      this.state.running = false;
      this.state.progress = null;
      this.emit(true);
      this.onChanged();
    }
  }

  private emit(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastEmit < PROGRESS_INTERVAL_MS) {
      // Publish the latest progress at the end of the window, so a quiet spell never hides it.
      this.trailing ??= setTimeout(() => {
        this.trailing = null;
        this.emit(true);
      }, PROGRESS_INTERVAL_MS - (now - this.lastEmit));
      return;
    }
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = null;
    this.lastEmit = now;
    this.onState(this.snapshot());
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
