/**
 * Keeps the library indexed in the background and publishes the progress.
 *
 * Two modes, as the host asks (watching unless it runs with --no-watch):
 *  - watching (`library.watch`): the core reconciles every root with the disk, then follows file
 *    changes and embeds new photos continuously; its progress and events are relayed here. A
 *    "rescan" asks the core to reconcile again (`library.rescan`: the watcher keeps running);
 *    "stop" pauses it; after a fatal stop (full disk), "rescan" starts a new watcher.
 *  - passes (`library.index`): one pass over every root at a time; a request made while a pass
 *    runs starts one more pass when it ends (so a root added mid-pass is not missed).
 * Progress events are throttled to ~5 per second, with the latest always delivered.
 */
import type { IndexingState, LikenessEvent } from '../../preload/contract.js';
import type { IndexProgress } from '../core/types.js';
import type { CoreLibrary, WatchEventLike } from './library-port.js';

const PROGRESS_INTERVAL_MS = 200;
const CHANGE_DEBOUNCE_MS = 500;

type Notice = Extract<LikenessEvent, { type: 'notice' }>;

export class IndexingManager {
  private state: IndexingState = { running: false, watching: false, progress: null, last: null, error: null };
  private controller: AbortController | null = null;
  private again = false;
  private current: Promise<void> | null = null;
  private lastEmit = 0;
  private readonly extra = new Set<string>();
  private trailing: NodeJS.Timeout | null = null;
  private changeTimer: NodeJS.Timeout | null = null;
  private watchOp: Promise<void> = Promise.resolve();
  private stopped = false;
  /** The watcher stopped for good (a full disk): progress still in the post is not progress, and
   *  "resume" starts a new watcher. */
  private watchDied = false;

  constructor(
    private readonly library: CoreLibrary,
    private readonly onState: (state: IndexingState) => void,
    private readonly onChanged: () => void,
    private readonly onNotice: (notice: Notice) => void = () => {},
  ) {}

  snapshot(): IndexingState {
    return structuredClone(this.state);
  }

  /** Starts following the roots (reconciling them first). Resolves once the watcher runs. */
  watch(): Promise<void> {
    return this.serialise(async () => {
      if (this.state.watching || this.stopped) return;
      const started = await this.reconciling(() =>
        this.library.watch({
          onEvent: (event: WatchEventLike) => this.onWatchEvent(event),
          onProgress: (p: IndexProgress) => this.onWatchProgress(p),
        }),
      );
      if (started) this.state.watching = true;
      this.emit(true);
    });
  }

  /** While watching: the core reconciles every root again; its events report what it found. */
  private rescan(): Promise<void> {
    return this.serialise(async () => {
      if (!this.state.watching || this.stopped) return;
      await this.reconciling(() => this.library.rescan());
      this.emit(true);
    });
  }

  /** Shows a scan under way while `run` reconciles the roots; false (and the error shown) if it failed. */
  private async reconciling(run: () => Promise<unknown>): Promise<boolean> {
    this.state.error = null;
    this.state.running = true;
    this.state.progress = { phase: 'scanning', done: 0, total: 0, failed: 0, imagesPerSecond: 0, etaSeconds: null };
    this.emit(true);
    try {
      await run();
      return true;
    } catch (error) {
      this.state.error = errorMessage(error);
      this.state.running = false;
      this.state.progress = null;
      return false;
    }
  }

  /**
   * Brings the index up to date with the disk: when watching, the core reconciles again; after a
   * fatal stop, a new watcher starts; else a pass runs over every root plus `extra` folders
   * (which indexing makes roots), or is queued.
   */
  start(extra: string[] = []): IndexingState {
    if (this.state.watching) {
      void this.rescan();
      return this.snapshot();
    }
    if (this.watchDied) {
      this.watchDied = false;
      void this.serialise(async () => {
        await this.library.stopWatching();
        this.state.watching = false;
      }).then(() => this.watch());
      return this.snapshot();
    }
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

  /** Stops the running pass, or pauses watching (a rescan resumes it). */
  cancel(): IndexingState {
    this.again = false;
    this.controller?.abort();
    if (this.state.watching) {
      void this.serialise(async () => {
        await this.library.stopWatching();
        this.state.watching = false;
        this.state.running = false;
        this.state.progress = null;
        this.state.error = 'Indexing is paused';
        this.emit(true);
      });
    }
    return this.snapshot();
  }

  /**
   * A failure outside any request (a watcher callback that threw, a promise nobody awaited):
   * shown as the indexing error state and as a notice, so the user sees it and can rescan. The
   * process keeps running (see process-guard.ts).
   */
  backgroundFailure(error: unknown): void {
    this.state.error = `Indexing hit an error and paused part of its work: ${errorMessage(error)}. Likeness keeps running; use Rescan now to try again.`;
    this.state.running = false;
    this.state.progress = null;
    this.emit(true);
    this.onNotice({ type: 'notice', level: 'error', message: this.state.error });
  }

  /** Resolves when no pass runs and no watcher operation is under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.current) await this.current;
    // A rescan chains a new watch after the stop: wait for whatever was queued meanwhile too.
    let op: Promise<void>;
    do {
      op = this.watchOp;
      await op;
    } while (op !== this.watchOp);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel();
    await this.idle();
    if (this.state.watching || this.watchDied) await this.library.stopWatching?.();
    if (this.trailing) clearTimeout(this.trailing);
    if (this.changeTimer) clearTimeout(this.changeTimer);
  }

  private serialise(op: () => Promise<void>): Promise<void> {
    this.watchOp = this.watchOp.then(op, op);
    return this.watchOp;
  }

  private onWatchProgress(p: IndexProgress): void {
    if (this.watchDied) return;
    const busy = p.phase !== 'done' && p.total > p.done;
    const wasBusy = this.state.running;
    this.state.running = busy;
    this.state.progress = busy ? { ...p } : null;
    if (!busy && wasBusy) {
      this.state.last = {
        scanned: p.total,
        added: 0,
        updated: 0,
        unchanged: 0,
        removed: 0,
        indexed: p.done - p.failed,
        failed: p.failed,
        seconds: 0,
        finishedAt: new Date().toISOString(),
      };
      this.changedSoon();
    }
    this.emit(busy !== wasBusy);
  }

  private onWatchEvent(event: WatchEventLike): void {
    switch (event.type) {
      case 'ready':
        if (!event.pending) {
          this.state.running = false;
          this.state.progress = null;
          this.emit(true);
        }
        this.changedSoon();
        break;
      case 'added':
      case 'updated':
      case 'moved':
      case 'removed':
      case 'root-added':
      case 'root-removed':
        this.changedSoon();
        break;
      case 'offline':
        this.changedSoon(); // the folder list shows it offline without a rescan
        this.onNotice({ type: 'notice', level: 'warning', message: `${event.root ?? 'A folder'} is not reachable: ${event.reason ?? 'offline'}. Its photos stay in the library.` });
        break;
      case 'online':
        this.changedSoon();
        this.onNotice({ type: 'notice', level: 'info', message: `${event.root ?? 'A folder'} is back; catching up with its changes.` });
        break;
      case 'fatal':
        // A stop, reported as one: nothing runs or is watched any more until the user resumes.
        this.watchDied = true;
        this.state.error = event.reason ?? 'Indexing stopped';
        this.state.running = false;
        this.state.watching = false;
        this.state.progress = null;
        this.emit(true);
        this.onNotice({ type: 'notice', level: 'error', message: this.state.error });
        break;
    }
  }

  /** Library-changed events, at most one per half second while files keep changing. */
  private changedSoon(): void {
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = null;
      this.onChanged();
    }, CHANGE_DEBOUNCE_MS);
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
      // Searchable by similarity now; objects and text follow in the background, as when watching.
      if (this.library.annotationOn || this.library.facesOn) void this.library.annotate().catch((error: unknown) => this.backgroundFailure(error));
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
