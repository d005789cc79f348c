/**
 * The chokidar watchers: one per outermost reachable root (by polling where asked: network
 * drives). Their events only say "look at this path"; the watcher's pass looks at the disk.
 */
import fs from 'node:fs/promises';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import { isInside } from '../store/files-repository.js';
import { isImagePath } from '../imaging/formats.js';
import { outermost, rootOf, type RootRow } from '../library/library-store.js';
import { isIgnored } from './ignore-rule.js';

type Roots = Pick<RootRow, 'path' | 'offline_since' | 'polling'>[];

export interface WatchSetEvents {
  /** An image file was added, changed or removed. */
  file: (file: string) => void;
  /** A folder vanished (chokidar may not report each file in it); `root`: the watched root. */
  folderGone: (dir: string, root: string) => void;
  problem: (path: string, reason: string) => void;
}

export class WatchSet {
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(
    private readonly settings: { polling?: boolean; pollIntervalMs: number; exclude: string[] },
    private readonly on: WatchSetEvents,
  ) {}

  /** The folders watched right now. */
  roots(): string[] {
    return [...this.watchers.keys()].sort();
  }

  /** The watched root holding `file`, if any. */
  rootOf(file: string): string | undefined {
    return rootOf(file, [...this.watchers.keys()]);
  }

  /**
   * Watches exactly the outermost reachable roots of `rows`: starts what is missing (resolving once
   * chokidar is ready), stops what is not wanted. `cancelled` is asked before each start.
   */
  async sync(rows: Roots, cancelled: () => boolean): Promise<void> {
    const wanted = rootsToWatch(rows);
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
      if (cancelled()) return;
      if (this.watchers.has(root)) continue; // attached meanwhile
      starting.push(this.attach(root, this.settings.polling === true || pollsRoot(root, rows)));
    }
    await Promise.all(starting);
  }

  /** Stops watching `root` now (it went offline); its events stop at once. */
  drop(root: string): void {
    const fsw = this.watchers.get(root);
    if (!fsw) return;
    this.watchers.delete(root);
    void fsw.close();
  }

  /** Stops every watcher; resolves once they are closed. */
  async close(): Promise<void> {
    const all = [...this.watchers.values()];
    this.watchers.clear();
    await Promise.all(all.map((w) => w.close()));
  }

  private attach(root: string, polling: boolean): Promise<void> {
    const fsw = chokidarWatch(root, {
      ignoreInitial: true,
      followSymlinks: false,
      usePolling: polling,
      interval: this.settings.pollIntervalMs,
      binaryInterval: this.settings.pollIntervalMs,
      ignored: (file: string, stats?: import('node:fs').Stats) => isIgnored(file, root, this.settings.exclude, stats),
      ignorePermissionErrors: false,
      persistent: true,
    });
    this.watchers.set(root, fsw);
    const file = (p: string) => {
      if (isImagePath(p)) this.on.file(p);
    };
    fsw.on('add', file);
    fsw.on('change', file);
    fsw.on('unlink', file);
    fsw.on('unlinkDir', (dir) => this.on.folderGone(dir, root));
    fsw.on('error', (error: unknown) => {
      const e = error as NodeJS.ErrnoException;
      this.on.problem(e.path ?? root, describeWatchError(e));
    });
    return new Promise((resolve) => {
      fsw.once('ready', () => resolve());
      setTimeout(resolve, 60_000).unref?.(); // a huge tree: events flow anyway, don't block start
    });
  }
}

/** The outermost online roots, leaving out any that lie inside an offline one. */
export function rootsToWatch(rows: Roots): string[] {
  const offline = rows.filter((r) => r.offline_since !== null);
  const online = rows.filter((r) => r.offline_since === null).map((r) => r.path);
  return outermost(online).filter((root) => !offline.some((o) => isInside(root, o.path)));
}

/** A watched root is polled when it, or a root nested in it, asks for polling. */
export function pollsRoot(root: string, rows: Roots): boolean {
  return rows.some((r) => (r.path === root || isInside(r.path, root)) && r.polling === 1);
}

export function describeWatchError(error: NodeJS.ErrnoException): string {
  if (error.code === 'EACCES' || error.code === 'EPERM') return 'permission denied: this folder cannot be watched';
  if (error.code === 'ENOSPC') return 'the system limit on watched folders is reached (raise fs.inotify.max_user_watches) or the disk is full';
  if (error.code === 'ELOOP') return 'symlink loop';
  if (error.code === 'EMFILE') return 'too many open files: some folders are not watched';
  return `watch error: ${error.message}`;
}
