/**
 * Keeps the index current while Likeness runs. Chokidar (watch-set.ts) only marks paths dirty; one
 * loop (pass-loop.ts) looks at them on disk (dirty-pass.ts: writes in progress are waited for,
 * deletions wait for a move's other half) and reconciles as a full scan does; new or changed
 * files go to the worker pool, which runs continuously. An unreachable root goes offline, keeping
 * its entries (presence-check.ts). A full disk stops the queue with a clear message.
 *
 * At start, on a rescan, and for every root added or back online, the roots are scanned and
 * reconciled *after* the watchers are ready, so nothing that lands in between is missed.
 */
import path from 'node:path';
import { isInside } from '../store/files-repository.js';
import { EmbedQueue } from '../library/embed-queue.js';
import { rootOf } from '../library/library-store.js';
import { scanAndReconcile, scanSummary, toEmbedAfterScan, vectorsOf, type IndexerDeps } from '../library/indexer.js';
import { rootPresence } from '../library/presence.js';
import type { IndexSummary } from '../types.js';
import { ChangedPaths, type Dirty } from './changed-paths.js';
import { RecentCopies } from './cross-device-moves.js';
import { passOverDirty } from './dirty-pass.js';
import { WatchEvents, type AppliedChanges } from './events.js';
import { isIgnored } from './ignore-rule.js';
import { withDefaults, type WatchOptions, type WatchTimings } from './options.js';
import { awaitEmbedded, type LiveWatch } from './one-shot.js';
import { PassLoop } from './pass-loop.js';
import { PresenceCheck } from './presence-check.js';
import { WatchSet } from './watch-set.js';

export type { WatchEvent } from './events.js';
export { WATCH_DEFAULTS, type WatchOptions } from './options.js';

/** What a one-shot pass needs, plus housekeeping between bursts. */
export interface WatcherDeps extends IndexerDeps {
  /** Housekeeping when the queue runs dry (refit the whitening, sweep thumbnails). */
  onDrained: () => Promise<void>;
}

export class Watcher {
  private readonly options: WatchTimings & WatchOptions;
  private readonly exclude: string[];
  private readonly changed = new ChangedPaths();
  private readonly copies = new RecentCopies();
  private readonly queue: EmbedQueue;
  private readonly loop: PassLoop;
  private readonly watches: WatchSet;
  private readonly events: WatchEvents;
  private readonly presence: PresenceCheck;

  private constructor(
    private readonly deps: WatcherDeps,
    options: WatchOptions,
  ) {
    this.options = withDefaults(options);
    this.exclude = deps.exclude.map((p) => path.resolve(p));
    this.events = new WatchEvents(options.onEvent);
    this.queue = new EmbedQueue({
      repo: deps.repo,
      store: deps.store,
      pool: deps.pool,
      onCommitted: (results, committed) => {
        this.deps.onIndexed(results, []);
        this.events.committed(committed);
      },
      onProgress: options.onProgress,
      onDrained: () => this.loop.drained(),
      onFatal: (error) => this.fatal(error),
    });
    this.loop = new PassLoop({
      debounceMs: this.options.debounceMs,
      deleteGraceMs: this.options.deleteGraceMs,
      changed: this.changed,
      queue: this.queue,
      pass: () => this.pass(),
      housekeep: () => this.deps.onDrained(),
      diskFull: (error) => this.fatal(error),
      problem: (reason) => this.events.emit({ type: 'problem', path: '', reason }),
    });
    this.watches = new WatchSet(
      { polling: this.options.polling, pollIntervalMs: this.options.pollIntervalMs, exclude: this.exclude },
      {
        file: (file) => this.markDirty(file),
        // Every file the index knows there is looked at (chokidar may not report each one).
        folderGone: (dir, root) => {
          for (const file of this.deps.store.pathsUnder(dir)) this.markDirty(file);
          if (dir === root) this.loop.kick();
        },
        problem: (p, reason) => this.events.emit({ type: 'problem', path: p, reason }),
      },
    );
    this.presence = new PresenceCheck({
      store: deps.store,
      everyMs: this.options.presenceCheckMs,
      syncWatches: () => this.syncWatches(),
      scan: (roots) => this.requestScan(roots),
      added: (root) => this.events.emit({ type: 'root-added', root }),
      online: (root) => this.events.emit({ type: 'online', root }),
      wentOffline: (root, reason) => this.wentOffline(root, reason, true),
      problem: (reason) => {
        if (!this.loop.stopped) this.events.emit({ type: 'problem', path: '', reason });
      },
      over: () => this.closed,
    });
  }

  /** Watches every reachable root of the library, after reconciling them with the disk. */
  static async start(deps: WatcherDeps, options: WatchOptions = {}): Promise<Watcher> {
    const watcher = new Watcher(deps, options);
    await watcher.syncWatches();
    const { pendingIds } = await watcher.requestScan(watcher.deps.store.rootRows().map((r) => r.path));
    watcher.events.emit({ type: 'ready', roots: watcher.watchedRoots(), pending: pendingIds.length });
    watcher.presence.start();
    return watcher;
  }

  /** The folders watched right now (outermost reachable roots). */
  watchedRoots(): string[] {
    return this.watches.roots();
  }

  /** Rows waiting for or in the embedding workers. */
  get queued(): number {
    return this.queue.size;
  }

  /** True once closed (or stopped for good by a fatal error such as a full disk). */
  get closed(): boolean {
    return this.loop.stopped || this.loop.failure !== null;
  }

  /** Why indexing stopped for good (a full disk), if it did. */
  get failure(): Error | null {
    return this.loop.failure;
  }

  /** Why a file seen changing is not taken yet (still being written), if it is held back. */
  heldBack(file: string): Dirty['held'] {
    return this.changed.heldBack(path.resolve(file));
  }

  /** Starts watching a root that was just added to the library, reconciling it first. */
  async addRoot(root: string): Promise<void> {
    this.assertUsable();
    await this.syncWatches();
    await this.requestScan([root]);
    this.events.emit({ type: 'root-added', root });
  }

  /**
   * Forgets a root and the entries no other root covers (nothing on disk is touched), between
   * two passes; then watches what it exposed (roots that were nested in it). Returns the ids.
   */
  async removeRoot(root: string): Promise<number[]> {
    this.assertUsable();
    return this.loop.exclusive(async () => {
      const removedIds = this.deps.store.removeRoot(root);
      this.presence.forget(root);
      this.changed.forgetUnder(root, (p) => this.deps.store.rootRows().some((r) => isInside(p, r.path)));
      this.deps.onIndexed([], removedIds);
      await this.syncWatches();
      if (removedIds.length) this.loop.housekeepingDue();
      this.events.emit({ type: 'root-removed', root, removed: removedIds.length });
      return removedIds;
    });
  }

  /**
   * Brings the index up to date with the disk again, as a restart would but without stopping the
   * embedding: fresh chokidar watchers (one that hit an error watches again), then every root is
   * reconciled, and 'ready' is reported as at start.
   */
  async rescan(): Promise<void> {
    this.assertUsable();
    const { pendingIds } = await this.loop.exclusive(async () => {
      await this.watches.close();
      await this.syncWatches();
      return this.scan(this.deps.store.rootRows().map((r) => r.path));
    });
    this.events.emit({ type: 'ready', roots: this.watchedRoots(), pending: pendingIds.length });
  }

  /** A one-shot pass through the watcher (so only one writer runs): scan, then embed what it found. */
  async index(folders: string[], signal?: AbortSignal): Promise<IndexSummary> {
    this.assertUsable();
    const started = Date.now();
    await this.syncWatches();
    const { summary, pendingIds } = await this.requestScan(folders);
    const { indexed, failed } = await awaitEmbedded(pendingIds, this.live, signal);
    return { ...summary, indexed, failed, seconds: (Date.now() - started) / 1000 };
  }

  private readonly live: LiveWatch = {
    listen: (listener) => this.events.listen(listener),
    idle: () => this.idle(),
    busy: () => this.loop.busy(),
    failure: () => this.loop.failure,
    stopped: () => this.loop.stopped,
    stillPending: (ids) => [...this.deps.store.currentVersions(ids)].filter(([, v]) => v.status === 'pending').map(([id]) => id),
  };

  /** Resolves when no event, scan, embedding or housekeeping is outstanding. */
  idle(): Promise<void> {
    return this.loop.idle();
  }

  /** Stops watching; finishes and commits the batch in the workers (the rest stays pending). */
  async close(): Promise<void> {
    await this.loop.close(async () => {
      await this.presence.stop();
      await this.watches.close();
    });
  }

  private markDirty(file: string): void {
    if (this.loop.stopped) return;
    this.changed.mark(file);
    this.loop.kick();
  }

  private async syncWatches(): Promise<void> {
    if (this.loop.stopped) return;
    await this.watches.sync(this.deps.store.rootRows(), () => this.loop.stopped || this.loop.failure !== null);
  }

  private requestScan(folders: string[]) {
    return this.loop.exclusive(() => this.scan(folders.map((f) => path.resolve(f))));
  }

  private async scan(requested: string[]): Promise<{ summary: IndexSummary; pendingIds: number[] }> {
    const roots = this.deps.store.rootRows().map((r) => r.path);
    // Only registered roots (and folders inside them) are scanned through the watcher.
    const folders = requested.filter((f) => roots.some((r) => r === f || isInside(f, r)));
    for (const f of folders) if (roots.includes(f)) this.presence.knows(f);
    const outcome = await scanAndReconcile(folders, this.deps);
    for (const o of outcome.offline) if (o.newly) this.wentOffline(o.root, o.reason, false);
    for (const root of outcome.online) this.events.emit({ type: 'online', root });
    for (const p of outcome.problems) this.events.emit({ type: 'problem', path: p.path, reason: p.reason });
    this.report({ ...outcome.plan, copiedIds: outcome.copiedIds });
    const { pending, reembed } = toEmbedAfterScan(outcome, this.deps);
    if (outcome.removedIds.length) this.loop.housekeepingDue();
    this.queue.add(pending);
    this.queue.add(reembed, { reembed: true });
    if (outcome.online.length) await this.syncWatches();
    return { summary: scanSummary(outcome), pendingIds: pending.map((r) => r.id) };
  }

  /** A pass over the dirty paths whose time has come. */
  private async pass(): Promise<void> {
    const changes = await passOverDirty(this.changed, {
      store: this.deps.store,
      timings: this.options,
      copies: this.copies,
      isIgnored: (file) => isIgnored(file, this.watches.rootOf(file) ?? rootOf(file, this.deps.store.rootRows().map((r) => r.path)), this.exclude),
      presenceOf: (root) => rootPresence(root, this.deps.store.root(root)?.device ?? null),
      wentOffline: (root, reason) => this.wentOffline(root, reason, true),
    });
    if (!changes) return;
    this.report(changes);
    if (changes.copiedIds.length || changes.removedIds.length) {
      this.deps.onIndexed(vectorsOf(this.deps.repo, changes.copiedIds, this.deps.modelId), changes.removedIds);
    }
    if (changes.removedIds.length) this.loop.housekeepingDue();
    this.queue.add(changes.pending);
  }

  /** Reports what a scan or pass applied; a copy may be the first half of a move across devices. */
  private report(changes: AppliedChanges): void {
    const store = this.deps.store;
    this.events.applied(changes, (id) => store.byId(id)?.path, (file) => store.byPath(file)?.id);
    changes.copies.forEach((c, i) => this.copies.remember(c.sourceId, changes.copiedIds[i]));
  }

  // --- roots coming and going -----------------------------------------------------------------

  private wentOffline(root: string, reason: string, mark: boolean): void {
    let changed = false;
    for (const r of this.deps.store.rootRows()) {
      if (mark && (r.path === root || isInside(r.path, root))) changed = this.deps.store.setOnline(r.path, false) || changed;
    }
    this.changed.forgetUnder(root);
    this.watches.drop(root);
    if (changed || !mark) this.events.emit({ type: 'offline', root, reason });
  }

  private fatal(error: Error): void {
    if (this.loop.failure) return;
    // Nothing more can be saved: stop watching (the process may exit; nothing is lost).
    this.loop.fail(error, () => {
      void this.presence.stop();
      void this.watches.close();
      this.events.emit({ type: 'fatal', reason: error.message });
    });
  }

  private assertUsable(): void {
    if (this.loop.stopped) throw new Error('the watcher is closed');
    if (this.loop.failure) throw this.loop.failure;
  }
}
