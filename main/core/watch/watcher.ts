/**
 * Keeps the index current while Likeness runs. One chokidar watcher per outermost reachable root
 * (by polling where the root asks for it: network drives); its events only mark paths "dirty".
 * A single loop then looks at the dirty paths on disk — the disk, not the event, is the truth —
 * and hands what it found to the same reconciliation as a full scan, so moves and renames keep
 * their rows (by size + content hash), copies reuse known vectors, and new or changed files are
 * queued for the worker pool, which runs continuously.
 *
 * - Writes in progress are waited for: a JPEG/PNG is taken once it has its end marker and has
 *   not been written for `settleMs`, one without the marker gets up to `incompleteWaitMs`;
 *   other formats are taken once not written for `stableMs`.
 * - A file seen gone is deleted from the index only after `deleteGraceMs`, so the second half of
 *   a move (the "add" in another folder) finds the row to follow.
 * - A root that disappears (unplugged drive) goes offline instead of losing its entries, and is
 *   checked every `presenceCheckMs`; when it is back it is reconciled and watched again.
 * - A full disk stops the queue with a clear message (no corruption; the rest stays pending).
 *
 * At start (and for every root added or back online) the roots are scanned and reconciled
 * *after* the watchers are ready, so nothing that lands in between is missed.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import type { FileRow, IndexedResult } from '../store/files-repository.js';
import { isInside } from '../store/files-repository.js';
import { isImagePath } from '../imaging/formats.js';
import { DiskFullError, EmbedQueue, explainWriteError, type Committed } from '../library/embed-queue.js';
import { ExactExistence, hasEndMarker } from '../library/identity.js';
import { outermost, rootOf, type Observed } from '../library/library-store.js';
import { reconcile } from '../library/reconcile.js';
import { scanAndReconcile, scanSummary, toEmbedAfterScan, vectorsOf, type IndexerDeps } from '../library/indexer.js';
import { rootPresence } from '../library/presence.js';
import { isSkippedName } from '../library/scanner.js';
import type { IndexProgress, IndexSummary } from '../types.js';

export type WatchEvent =
  /** The roots were reconciled with the disk and are being watched (embedding may go on). */
  | { type: 'ready'; roots: string[]; pending: number }
  /** A new file is searchable (`copyOf`: it duplicates an indexed file, whose vector it reuses). */
  | { type: 'added'; path: string; id: number; copyOf?: string }
  /** A changed file was indexed again. */
  | { type: 'updated'; path: string; id: number }
  /** A file moved or was renamed: its row (id, vector, tags, decisions) followed it. */
  | { type: 'moved'; from: string; to: string; id: number }
  | { type: 'removed'; path: string; id: number }
  | { type: 'failed'; path: string; id: number; reason: string }
  | { type: 'offline'; root: string; reason: string }
  | { type: 'online'; root: string }
  | { type: 'root-added'; root: string }
  | { type: 'root-removed'; root: string; removed: number }
  /** Something could not be read (permission denied, symlink loop, watcher error): not fatal. */
  | { type: 'problem'; path: string; reason: string }
  /** Indexing stopped for good (disk full): the message says what to do. */
  | { type: 'fatal'; reason: string };

export interface WatchOptions {
  /** Poll every root (network drives); otherwise only roots whose polling setting is on. */
  polling?: boolean;
  pollIntervalMs?: number;
  /** Events are gathered this long before a pass. */
  debounceMs?: number;
  /** A file is taken once it has not been written for this long ... */
  stableMs?: number;
  /** ... or for this long if it is a JPEG/PNG that already has its end marker. */
  settleMs?: number;
  /** Extra wait for a recently written JPEG/PNG that looks cut short. */
  incompleteWaitMs?: number;
  /** How long a vanished file's row waits for its move's other half before it is forgotten. */
  deleteGraceMs?: number;
  /** How often roots are checked for being reachable (unplugged, remounted). */
  presenceCheckMs?: number;
  onEvent?: (event: WatchEvent) => void;
  onProgress?: (progress: IndexProgress) => void;
}

/** What a one-shot pass needs, plus housekeeping between bursts. */
export interface WatcherDeps extends IndexerDeps {
  /** Housekeeping when the queue runs dry (refit the whitening, sweep thumbnails). */
  onDrained: () => Promise<void>;
}

interface Dirty {
  /** When the latest event for the path arrived. */
  at: number;
  /** Not before this time (a write still in progress). */
  retryAt: number;
}

/** Work that must not interleave with a pass over dirty paths (scans, root removal). */
interface Operation {
  run: () => Promise<void>;
  reject: (error: Error) => void;
}

interface ScanResult {
  summary: IndexSummary;
  pendingIds: number[];
}

/** Timings used when a WatchOptions field is left out. */
export const WATCH_DEFAULTS = {
  pollIntervalMs: 2000,
  debounceMs: 50,
  stableMs: 300,
  settleMs: 50,
  incompleteWaitMs: 5000,
  deleteGraceMs: 1500,
  presenceCheckMs: 3000,
};

export class Watcher {
  private readonly options: Required<Omit<WatchOptions, 'onEvent' | 'onProgress' | 'polling'>> & WatchOptions;
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly dirty = new Map<string, Dirty>();
  /** Row id → when its file was first seen gone (deletion waits for the grace period). */
  private readonly goneSince = new Map<number, number>();
  private readonly operations: Operation[] = [];
  private readonly queue: EmbedQueue;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity;
  private presenceTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private needsHousekeeping = false;
  private housekeeping: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];
  private fatalError: Error | null = null;

  private constructor(
    private readonly deps: WatcherDeps,
    options: WatchOptions,
  ) {
    this.options = { ...WATCH_DEFAULTS, ...stripUndefined(options) };
    this.queue = new EmbedQueue({
      repo: deps.repo,
      store: deps.store,
      pool: deps.pool,
      onCommitted: (results, committed) => this.committed(results, committed),
      onProgress: options.onProgress,
      onDrained: () => this.drained(),
      onFatal: (error) => this.fatal(error),
    });
  }

  /** Watches every reachable root of the library, after reconciling them with the disk. */
  static async start(deps: WatcherDeps, options: WatchOptions = {}): Promise<Watcher> {
    const watcher = new Watcher(deps, options);
    await watcher.syncWatches();
    const roots = watcher.deps.store.rootRows().map((r) => r.path);
    watcher.knownRoots = new Set(roots);
    const { pendingIds } = await watcher.requestScan(roots);
    watcher.emit({ type: 'ready', roots: watcher.watchedRoots(), pending: pendingIds.length });
    watcher.presenceTimer = setInterval(() => {
      watcher.presenceRun ??= watcher.checkPresence().finally(() => (watcher.presenceRun = null));
    }, watcher.options.presenceCheckMs);
    watcher.presenceTimer.unref?.();
    return watcher;
  }

  /** The folders watched right now (outermost reachable roots). */
  watchedRoots(): string[] {
    return [...this.watchers.keys()].sort();
  }

  /** Rows waiting for or in the embedding workers. */
  get queued(): number {
    return this.queue.size;
  }

  /** True once closed (or stopped for good by a fatal error such as a full disk). */
  get closed(): boolean {
    return this.stopped || this.fatalError !== null;
  }

  /** Why indexing stopped for good (a full disk), if it did. */
  get failure(): Error | null {
    return this.fatalError;
  }

  /** Starts watching a root that was just added to the library, reconciling it first. */
  async addRoot(root: string): Promise<void> {
    this.assertUsable();
    await this.syncWatches();
    await this.requestScan([root]);
    this.emit({ type: 'root-added', root });
  }

  /**
   * Forgets a root and the entries no other root covers (nothing on disk is touched), between
   * two passes; then watches what it exposed (roots that were nested in it). Returns the ids.
   */
  async removeRoot(root: string): Promise<number[]> {
    this.assertUsable();
    return this.exclusive(async () => {
      const removedIds = this.deps.store.removeRoot(root);
      this.knownRoots?.delete(root);
      for (const p of [...this.dirty.keys()]) if (isInside(p, root) && !this.coveredByRoot(p)) this.dirty.delete(p);
      this.deps.onIndexed([], removedIds);
      await this.syncWatches();
      if (removedIds.length) this.needsHousekeeping = true;
      this.emit({ type: 'root-removed', root, removed: removedIds.length });
      return removedIds;
    });
  }

  /** A one-shot pass through the watcher (so only one writer runs): scan, then embed what it found. */
  async index(folders: string[], signal?: AbortSignal): Promise<IndexSummary> {
    this.assertUsable();
    const started = Date.now();
    await this.syncWatches();
    const { summary, pendingIds } = await this.requestScan(folders);
    const wanted = new Set(pendingIds);
    let indexed = 0;
    let failed = 0;
    const listener = (event: WatchEvent) => {
      if ((event.type === 'added' || event.type === 'updated') && wanted.delete(event.id)) indexed++;
      else if (event.type === 'failed' && wanted.delete(event.id)) failed++;
    };
    this.listeners.add(listener);
    try {
      while (wanted.size > 0 && !signal?.aborted && !this.stopped) {
        await Promise.race([this.idle(), delay(250)]);
        if (this.fatalError) throw this.fatalError;
        // Rows that left (moved, deleted, changed again) are no longer waited for.
        const versions = this.deps.store.currentVersions([...wanted]);
        for (const id of [...wanted]) if (versions.get(id)?.status !== 'pending') wanted.delete(id);
        if (!this.busy() && wanted.size > 0) break;
      }
    } finally {
      this.listeners.delete(listener);
    }
    return { ...summary, indexed, failed, seconds: (Date.now() - started) / 1000 };
  }

  /** Resolves when no event, scan, embedding or housekeeping is outstanding. */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops watching; finishes and commits the batch in the workers (the rest stays pending). */
  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    for (const op of this.operations.splice(0)) op.reject(new Error('the watcher was closed'));
    await this.presenceRun?.catch(() => undefined);
    await Promise.all([...this.watchers.values()].map((w) => w.close()));
    this.watchers.clear();
    await this.running?.catch(() => undefined);
    await this.queue.stop();
    await this.housekeeping?.catch(() => undefined);
    for (const op of this.operations.splice(0)) op.reject(new Error('the watcher was closed'));
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  // --- events ---------------------------------------------------------------------------------

  private readonly listeners = new Set<(event: WatchEvent) => void>();

  private emit(event: WatchEvent): void {
    for (const listener of this.listeners) listener(event);
    try {
      this.options.onEvent?.(event);
    } catch {
      // a listener's failure is not the watcher's
    }
  }

  private busy(): boolean {
    return (
      this.running !== null ||
      this.dirty.size > 0 ||
      this.goneSince.size > 0 ||
      this.operations.length > 0 ||
      this.queue.busy ||
      this.housekeeping !== null ||
      this.needsHousekeeping
    ) && !this.stopped && !this.fatalError;
  }

  private settleIdle(): void {
    if (this.busy()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  // --- chokidar -------------------------------------------------------------------------------

  /** Watches exactly the outermost reachable roots: starts what is missing, stops what is not. */
  private async syncWatches(): Promise<void> {
    if (this.stopped) return;
    const rows = this.deps.store.rootRows();
    const online = rows.filter((r) => r.offline_since === null);
    const wanted = outermost(online.map((r) => r.path)).filter((root) => !rows.some((o) => o.offline_since !== null && isInside(root, o.path)));
    for (const [root, fsw] of this.watchers) {
      if (!wanted.includes(root)) {
        this.watchers.delete(root);
        await fsw.close();
      }
    }
    const starting: Promise<void>[] = [];
    for (const root of wanted) {
      if (this.watchers.has(root)) continue;
      try {
        await fs.access(root);
      } catch {
        continue; // the presence check will mark it offline
      }
      if (this.stopped || this.fatalError) return;
      if (this.watchers.has(root)) continue; // attached meanwhile
      const polling = this.options.polling || rows.some((r) => (r.path === root || isInside(r.path, root)) && r.polling === 1);
      starting.push(this.attach(root, polling));
    }
    await Promise.all(starting);
  }

  private attach(root: string, polling: boolean): Promise<void> {
    const cache = this.deps.exclude.map((p) => path.resolve(p));
    const ignored = (file: string, stats?: import('node:fs').Stats): boolean => {
      if (file === root) return false;
      if (cache.some((c) => file === c || isInside(file, c))) return true;
      const relative = path.relative(root, file);
      if (relative.startsWith('..')) return false;
      if (relative.split(path.sep).some(isSkippedName)) return true;
      return stats?.isFile() === true && !isImagePath(file);
    };
    const fsw = chokidarWatch(root, {
      ignoreInitial: true,
      followSymlinks: false,
      usePolling: polling,
      interval: this.options.pollIntervalMs,
      binaryInterval: this.options.pollIntervalMs,
      ignored,
      ignorePermissionErrors: false,
      persistent: true,
    });
    this.watchers.set(root, fsw);
    const mark = (file: string) => {
      if (!isImagePath(file)) return;
      this.markDirty(file);
    };
    fsw.on('add', mark);
    fsw.on('change', mark);
    fsw.on('unlink', mark);
    fsw.on('unlinkDir', (dir) => {
      // Every file the index knows there is checked (chokidar may not report each one).
      for (const file of this.deps.store.pathsUnder(dir)) this.markDirty(file);
      if (dir === root) this.kick();
    });
    fsw.on('error', (error: unknown) => {
      const e = error as NodeJS.ErrnoException;
      this.emit({ type: 'problem', path: e.path ?? root, reason: describeWatchError(e) });
    });
    return new Promise((resolve) => {
      fsw.once('ready', () => resolve());
      setTimeout(resolve, 60_000).unref?.(); // a huge tree: events flow anyway, don't block start
    });
  }

  private markDirty(file: string): void {
    if (this.stopped) return;
    const now = Date.now();
    const previous = this.dirty.get(file);
    this.dirty.set(file, { at: now, retryAt: previous ? Math.min(previous.retryAt, now) : now });
    this.kick();
  }

  private kick(delayMs = this.options.debounceMs): void {
    this.schedule(Date.now() + delayMs);
  }

  private schedule(due: number): void {
    if (this.stopped) return;
    if (this.timer && due >= this.timerDue) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDue = Infinity;
      this.runLoop();
    }, Math.max(0, due - Date.now()));
  }

  // --- the loop -------------------------------------------------------------------------------

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(new Error('the watcher was closed'));
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
      this.runLoop();
    });
  }

  private requestScan(folders: string[]): Promise<ScanResult> {
    return this.exclusive(() => this.scan(folders.map((f) => path.resolve(f))));
  }

  private runLoop(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          while (this.operations.length > 0 && !this.stopped) await this.operations.shift()!.run();
          await this.processDirty();
          await this.maybeHousekeep();
        } catch (error) {
          if (this.queue.fatal) break;
          const explained = explainWriteError(error as Error);
          if (explained instanceof DiskFullError) {
            this.fatal(explained);
            break;
          }
          this.emit({ type: 'problem', path: '', reason: `watcher pass failed: ${(error as Error).message}` });
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
      this.scheduleNext();
      this.settleIdle();
    });
  }

  private scheduleNext(): void {
    let next = Infinity;
    for (const d of this.dirty.values()) next = Math.min(next, d.retryAt);
    for (const since of this.goneSince.values()) next = Math.min(next, since + this.options.deleteGraceMs);
    if (this.needsHousekeeping && !this.queue.busy && this.dirty.size === 0) next = Math.min(next, Date.now());
    if (next !== Infinity) this.schedule(Math.max(next, Date.now() + 10));
  }

  private async scan(requested: string[]): Promise<ScanResult> {
    const roots = this.deps.store.rootRows().map((r) => r.path);
    // Only registered roots (and folders inside them) are scanned through the watcher.
    const folders = requested.filter((f) => roots.some((r) => r === f || isInside(f, r)));
    for (const f of folders) if (roots.includes(f)) this.knownRoots?.add(f);
    const outcome = await scanAndReconcile(folders, this.deps);
    for (const o of outcome.offline) if (o.newly) this.wentOffline(o.root, o.reason, false);
    for (const root of outcome.online) this.emit({ type: 'online', root });
    for (const p of outcome.problems) this.emit({ type: 'problem', path: p.path, reason: p.reason });
    this.report(outcome.plan.moves, outcome.plan.removals.map((r) => ({ id: r.id, path: r.path })), outcome.plan.copies, outcome.copiedIds);
    outcome.plan.copies.forEach((c, i) => this.rememberCopy(c.sourceId, outcome.copiedIds[i]));
    const { pending, reembed } = toEmbedAfterScan(outcome, this.deps);
    if (outcome.removedIds.length) this.needsHousekeeping = true;
    this.queue.add(pending);
    this.queue.add(reembed, { reembed: true });
    if (outcome.online.length) await this.syncWatches();
    return {
      summary: scanSummary(outcome),
      pendingIds: pending.map((r) => r.id),
    };
  }

  /**
   * A symlink whose target lies in a root: one file is one photo, and the target is listed by
   * itself (as the scanner does).
   */
  private async isLinkToRootFile(file: string, roots: string[]): Promise<boolean> {
    try {
      if (!(await fs.lstat(file)).isSymbolicLink()) return false;
      const real = await fs.realpath(file);
      for (const root of roots) if (isInside(real, await fs.realpath(root).catch(() => root))) return true;
    } catch {
      // unreadable: handled as any other file
    }
    return false;
  }

  /** Looks at every dirty path whose time has come, and reconciles what it finds. */
  private async processDirty(): Promise<void> {
    const now = Date.now();
    const due = [...this.dirty].filter(([, d]) => d.retryAt <= now);
    if (due.length === 0 && this.goneSince.size === 0) return;
    for (const [file] of due) this.dirty.delete(file);
    const existence = new ExactExistence();
    const present: Observed[] = [];
    const goneRows = new Map<number, FileRow>();
    const roots = this.deps.store.rootRows();
    const onlineRoots = roots.filter((r) => r.offline_since === null).map((r) => r.path);
    const offlineRoots = roots.filter((r) => r.offline_since !== null).map((r) => r.path);

    const look = async ([file, dirty]: [string, Dirty]) => {
      if (!onlineRoots.some((r) => isInside(file, r))) return; // root removed or offline meanwhile
      if (offlineRoots.some((r) => isInside(file, r))) return; // under a nested root that is offline
      if (this.isIgnoredPath(file)) return;
      let stat: import('node:fs').Stats | null = null;
      try {
        stat = await fs.stat(file);
      } catch {
        stat = null;
      }
      if (stat && stat.isFile() && (await this.isLinkToRootFile(file, onlineRoots))) return; // its target is the photo
      if (stat && stat.isFile() && (await existence.exists(file))) {
        // Still being written? A JPEG/PNG with its end marker only needs a short settle; other
        // formats wait until untouched for stableMs; a JPEG/PNG without it waits longer.
        const t = Date.now();
        const mtime = stat.mtimeMs;
        const written = mtime <= t + 1000 ? mtime : dirty.at; // a clock ahead of ours: trust events
        const age = t - written;
        if (age < this.options.settleMs) {
          this.dirty.set(file, { at: dirty.at, retryAt: written + this.options.settleMs });
          return;
        }
        if (age < this.options.incompleteWaitMs) {
          const ended = await hasEndMarker(file, stat.size);
          if (ended === false || (ended === null && age < this.options.stableMs)) {
            const wait = ended === null ? written + this.options.stableMs : t + this.options.stableMs;
            this.dirty.set(file, { at: dirty.at, retryAt: wait });
            return;
          }
        }
        present.push({ path: file, size: stat.size, mtimeMs: Math.floor(mtime) });
        return;
      }
      const row = this.deps.store.byPath(file);
      if (row) {
        goneRows.set(row.id, row);
        if (!this.goneSince.has(row.id)) this.goneSince.set(row.id, now);
      }
    };
    for (let i = 0; i < due.length; i += 64) await Promise.all(due.slice(i, i + 64).map(look));

    // Rows held from earlier passes: still gone? (An atomic save brings the path back.)
    for (const [id] of this.goneSince) {
      if (goneRows.has(id)) continue;
      const row = this.deps.store.byId(id);
      if (!row || !onlineRoots.some((r) => isInside(row.path, r)) || offlineRoots.some((r) => isInside(row.path, r))) {
        this.goneSince.delete(id);
        continue;
      }
      if (await existence.exists(row.path)) {
        this.goneSince.delete(id);
        if (!this.dirty.has(row.path)) this.markDirty(row.path);
        continue;
      }
      goneRows.set(id, row);
    }

    // Before anything is deleted: are its roots still there (the outer one and any nested one,
    // such as a network share mounted inside a folder)? An unplugged drive is not a deletion.
    const rootsToCheck = new Set<string>();
    for (const row of goneRows.values()) for (const root of onlineRoots) if (isInside(row.path, root)) rootsToCheck.add(root);
    for (const root of [...rootsToCheck].sort()) {
      if (offlineRoots.some((o) => root === o || isInside(root, o))) continue;
      const presence = await rootPresence(root, this.deps.store.root(root)?.device ?? null);
      if (presence.present) continue;
      this.wentOffline(root, presence.reason, true);
      offlineRoots.push(root);
      for (const [id, row] of goneRows) {
        if (isInside(row.path, root)) {
          goneRows.delete(id);
          this.goneSince.delete(id);
        }
      }
    }
    if (present.length === 0 && goneRows.size === 0) return;

    const t = Date.now();
    const plan = await reconcile(
      this.deps.store,
      {
        present: dedupe(present),
        gone: [...goneRows.values()],
        rowAt: (file) => this.deps.store.byPath(file),
        offlineRoots,
        keep: (row) => t - (this.goneSince.get(row.id) ?? t) < this.options.deleteGraceMs,
      },
      existence,
    );
    // A move across devices is a copy, then a deletion: when the original of a recent copy goes,
    // its row takes the copy's place (keeping the original id, tags and decisions).
    const removals: FileRow[] = [];
    const lateMoves: { id: number; from: string; to: Observed }[] = [];
    const replacedCopies: number[] = [];
    for (const row of plan.removals) {
      const copy = this.takeRecentCopy(row);
      if (!copy) {
        removals.push(row);
        continue;
      }
      replacedCopies.push(copy.id);
      lateMoves.push({ id: row.id, from: row.path, to: { path: copy.path, size: copy.size, mtimeMs: copy.mtime_ms } });
    }
    plan.removals = removals;
    const applied = this.deps.store.apply({
      moves: [...plan.moves, ...lateMoves],
      copies: plan.copies,
      touches: plan.touches,
      removals: [...removals.map((r) => r.id), ...replacedCopies],
      pending: plan.pending,
    });
    plan.moves.push(...lateMoves);
    plan.copies.forEach((c, i) => this.rememberCopy(c.sourceId, applied.copiedIds[i]));
    for (const m of plan.moves) this.goneSince.delete(m.id);
    for (const r of plan.removals) this.goneSince.delete(r.id);
    for (const id of applied.removedIds) this.goneSince.delete(id);
    this.report(plan.moves, plan.removals.map((r) => ({ id: r.id, path: r.path })), plan.copies, applied.copiedIds);
    if (applied.copiedIds.length || applied.removedIds.length) {
      this.deps.onIndexed(vectorsOf(this.deps.repo, applied.copiedIds, this.deps.modelId), applied.removedIds);
    }
    if (applied.removedIds.length) this.needsHousekeeping = true;
    const queued: { id: number }[] = [];
    for (const file of plan.pending) {
      const row = this.deps.store.byPath(file.path);
      if (row && row.status === 'pending') queued.push(row);
    }
    this.queue.add(queued);
  }

  private report(
    moves: { id: number; from: string; to: Observed }[],
    removals: { id: number; path: string }[],
    copies: { sourceId: number; to: Observed }[],
    copiedIds: number[] = [],
  ): void {
    for (const m of moves) this.emit({ type: 'moved', from: m.from, to: m.to.path, id: m.id });
    for (const r of removals) this.emit({ type: 'removed', path: r.path, id: r.id });
    copies.forEach((c, i) => {
      const id = copiedIds[i] ?? this.deps.store.byPath(c.to.path)?.id ?? -1;
      this.emit({ type: 'added', path: c.to.path, id, copyOf: this.deps.store.byId(c.sourceId)?.path });
    });
  }

  /** Copies made in this session, by source row: source id → copies (id, when). */
  private readonly recentCopies = new Map<number, { id: number; at: number }[]>();

  private rememberCopy(sourceId: number, copyId: number | undefined): void {
    if (copyId === undefined) return;
    const now = Date.now();
    const list = (this.recentCopies.get(sourceId) ?? []).filter((c) => now - c.at < RECENT_COPY_MS);
    list.push({ id: copyId, at: now });
    this.recentCopies.set(sourceId, list);
    if (this.recentCopies.size > 10_000) {
      for (const [id, copies] of this.recentCopies) if (copies.every((c) => now - c.at >= RECENT_COPY_MS)) this.recentCopies.delete(id);
    }
  }

  /** A copy of `source` made recently that still holds the same content, if any (forgotten once taken). */
  private takeRecentCopy(source: FileRow): FileRow | undefined {
    const copies = this.recentCopies.get(source.id);
    if (!copies) return undefined;
    this.recentCopies.delete(source.id);
    const now = Date.now();
    for (const c of copies) {
      if (now - c.at >= RECENT_COPY_MS) continue;
      const row = this.deps.store.byId(c.id);
      if (row && row.status === 'indexed' && row.content_hash === source.content_hash) return row;
    }
    return undefined;
  }

  private committed(results: IndexedResult[], committed: Committed[]): void {
    this.deps.onIndexed(results, []);
    for (const c of committed) {
      if (!c.ok) this.emit({ type: 'failed', path: c.path, id: c.id, reason: c.reason ?? 'failed' });
      else this.emit({ type: c.wasIndexed ? 'updated' : 'added', path: c.path, id: c.id });
    }
  }

  private drained(): void {
    this.needsHousekeeping = true;
    this.kick(0);
  }

  /** After a burst or deletions: refit the whitening if due, sweep orphan thumbnails (paused
   *  queue: no worker is writing one meanwhile). */
  private async maybeHousekeep(): Promise<void> {
    if (!this.needsHousekeeping || this.queue.busy || this.dirty.size > 0 || this.operations.length > 0 || this.stopped) return;
    this.needsHousekeeping = false;
    this.queue.pause();
    this.housekeeping = this.deps.onDrained().finally(() => this.queue.resume());
    try {
      await this.housekeeping;
    } finally {
      this.housekeeping = null;
    }
  }

  // --- roots coming and going -----------------------------------------------------------------

  private wentOffline(root: string, reason: string, mark: boolean): void {
    const rows = this.deps.store.rootRows();
    let changed = false;
    for (const r of rows) {
      if (r.path === root || isInside(r.path, root)) {
        if (mark) changed = this.deps.store.setOnline(r.path, false) || changed;
      }
    }
    for (const file of [...this.dirty.keys()]) if (isInside(file, root)) this.dirty.delete(file);
    const fsw = this.watchers.get(root);
    if (fsw) {
      this.watchers.delete(root);
      void fsw.close();
    }
    if (changed || !mark) this.emit({ type: 'offline', root, reason });
  }

  private presenceRun: Promise<void> | null = null;
  private knownRoots: Set<string> | null = null;

  /** Offline roots that are back get reconciled and watched; watched roots that vanished go offline. */
  private async checkPresence(): Promise<void> {
    if (this.stopped || this.fatalError) return;
    try {
      const back: string[] = [];
      const rows = this.deps.store.rootRows();
      // Roots added or removed by another process (`likeness roots add` beside a running watch).
      const now = new Set(rows.map((r) => r.path));
      const previous = this.knownRoots ?? now;
      this.knownRoots = now;
      const added = [...now].filter((r) => !previous.has(r));
      if (added.length || [...previous].some((r) => !now.has(r))) {
        await this.syncWatches();
        if (added.length) {
          await this.requestScan(added);
          for (const root of added) this.emit({ type: 'root-added', root });
        }
      }
      for (const r of rows) {
        const presence = await rootPresence(r.path, r.device);
        if (r.offline_since !== null && presence.present) {
          this.deps.store.setOnline(r.path, true, presence.device);
          this.emit({ type: 'online', root: r.path });
          back.push(r.path);
        } else if (r.offline_since === null && !presence.present) {
          this.wentOffline(r.path, presence.reason, true);
        }
      }
      if (back.length) {
        await this.syncWatches();
        await this.requestScan(back);
      }
    } catch (error) {
      if (!this.stopped) this.emit({ type: 'problem', path: '', reason: `checking the folders failed: ${(error as Error).message}` });
    }
  }

  private fatal(error: Error): void {
    if (this.fatalError) return;
    this.fatalError = error;
    // Nothing more can be saved: stop watching (the process may exit; nothing is lost).
    if (this.timer) clearTimeout(this.timer);
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    for (const fsw of this.watchers.values()) void fsw.close();
    this.watchers.clear();
    this.emit({ type: 'fatal', reason: error.message });
    for (const op of this.operations.splice(0)) op.reject(error);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private assertUsable(): void {
    if (this.stopped) throw new Error('the watcher is closed');
    if (this.fatalError) throw this.fatalError;
  }

  private isIgnoredPath(file: string): boolean {
    const root = rootOf(file, [...this.watchers.keys()]) ?? rootOf(file, this.deps.store.rootRows().map((r) => r.path));
    if (!root) return true;
    if (this.deps.exclude.some((c) => file === c || isInside(file, c))) return true;
    return path.relative(root, file).split(path.sep).some(isSkippedName);
  }

  private coveredByRoot(file: string): boolean {
    return this.deps.store.rootRows().some((r) => isInside(file, r.path));
  }
}

/** How long a copy may still turn out to be the first half of a move across devices. */
const RECENT_COPY_MS = 10 * 60_000;

function dedupe(files: Observed[]): Observed[] {
  const seen = new Map<string, Observed>();
  for (const f of files) seen.set(f.path, f);
  return [...seen.values()];
}

function describeWatchError(error: NodeJS.ErrnoException): string {
  if (error.code === 'EACCES' || error.code === 'EPERM') return 'permission denied: this folder cannot be watched';
  if (error.code === 'ENOSPC') return 'the system limit on watched folders is reached (raise fs.inotify.max_user_watches) or the disk is full';
  if (error.code === 'ELOOP') return 'symlink loop';
  if (error.code === 'EMFILE') return 'too many open files: some folders are not watched';
  return `watch error: ${error.message}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
