/**
 * A library's folders (its roots) and the passes that keep the index in step with them: one-off
 * index passes, and the watcher that runs them continuously. While the library is watched, every
 * change goes through the watcher (one writer at a time); `watching` is the one way to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/database.js';
import { isInside, type FilesRepository } from '../store/files-repository.js';
import type { LibraryModels } from '../embedding/library-models.js';
import type { SearchState } from '../search/search-state.js';
import { readExposureFacts } from '../imaging/decode.js';
import { Watcher, type WatchOptions } from '../watch/watcher.js';
import type { IndexSummary, RootState } from '../types.js';
import { indexFolders, sweepOrphanThumbnails, type IndexerDeps, type IndexOptions } from './indexer.js';
import type { LibraryStore } from './library-store.js';

export interface FolderStores {
  db: Db;
  files: FilesRepository;
  store: LibraryStore;
  thumbnailDir: string;
  /** Folders the scanner must not enter (our own cache). */
  exclude: string[];
}

export class LibraryFolders {
  private watcher: Watcher | null = null;
  private readonly db: Db;
  private readonly files: FilesRepository;
  private readonly store: LibraryStore;

  constructor(
    private readonly stores: FolderStores,
    /** What passes embed with. */
    private readonly models: LibraryModels,
    /** What follows each batch (the open space) and each pass (refits, HNSW builds). */
    private readonly search: SearchState,
    /** After a watched batch drained, in the background: new photos are searchable before they are annotated. */
    private readonly drained: () => void,
  ) {
    ({ db: this.db, files: this.files, store: this.store } = stores);
  }

  /** The running watcher, or null when the library is not being watched. */
  get watching(): Watcher | null {
    return this.watcher && !this.watcher.closed ? this.watcher : null;
  }

  /** One pass over `folders` (which become roots); see Library.index. */
  async index(folders: string[], options: IndexOptions = {}): Promise<IndexSummary> {
    const roots = folders.map((f) => path.resolve(f));
    const registered = new Set(this.files.roots());
    // A known root may be unreachable (unplugged drive): the pass marks it offline instead.
    const devices = new Map(roots.filter((root) => !registered.has(root)).map((root) => [root, folderStat(root).dev]));
    for (const [root, device] of devices) this.store.addRoot(root, { device });
    let summary: IndexSummary;
    const watcher = this.watching;
    if (watcher) {
      summary = await watcher.index(roots, options.signal);
    } else {
      summary = await indexFolders(roots, this.indexerDeps(), options);
      await this.afterPass();
      await this.sweepThumbnails();
    }
    await this.readMissingExposure(roots, options.signal);
    options.onProgress?.({ phase: 'done', done: summary.indexed + summary.failed, total: summary.indexed + summary.failed, failed: summary.failed, imagesPerSecond: 0, etaSeconds: 0 });
    return summary;
  }

  /**
   * Photos indexed before exposure facts were kept (migration 0009) get them on the next pass:
   * only the EXIF at the head of each file is read, no decode and no CNN (about a millisecond
   * a photo, once). A photo that changed was indexed again by the pass, facts included.
   */
  private async readMissingExposure(roots: string[], signal?: AbortSignal): Promise<void> {
    const rows = this.files.lackingExposure(roots);
    for (let i = 0; i < rows.length && !signal?.aborted; i += 16) {
      const batch = rows.slice(i, i + 16);
      const facts = await Promise.all(batch.map((row) => readExposureFacts(row.path)));
      this.db.transaction(() => batch.forEach((row, j) => this.files.saveExposure(row.id, facts[j])))();
    }
  }

  /** Adds a folder; while watched, it is reconciled and watched at once. */
  async addRoot(folder: string, options: { polling?: boolean } = {}): Promise<RootState> {
    const root = path.resolve(folder);
    const stat = folderStat(root);
    this.store.addRoot(root, { device: stat.dev, polling: options.polling });
    await this.watching?.addRoot(root);
    return this.rootsWithState().find((r) => r.path === root)!;
  }

  /** Removes a folder: its entries leave the index (unless another root covers them); the disk is untouched. */
  async removeRoot(folder: string): Promise<number> {
    const root = path.resolve(folder);
    if (!this.store.root(root)) throw new Error(`not a library folder: ${root}`);
    const watcher = this.watching;
    if (watcher) return (await watcher.removeRoot(root)).length;
    const removed = this.store.removeRoot(root);
    this.search.keepInStep([], removed);
    await this.sweepThumbnails();
    return removed.length;
  }

  setPolling(folder: string, polling: boolean): void {
    const root = path.resolve(folder);
    if (!this.store.root(root)) throw new Error(`not a library folder: ${root}`);
    this.store.setPolling(root, polling);
  }

  rootsWithState(): RootState[] {
    const rows = this.store.rootRows();
    const all = rows.map((r) => r.path);
    const watched = this.watching?.watchedRoots() ?? [];
    return rows.map((r) => ({
      path: r.path,
      online: r.offline_since === null,
      offlineSince: r.offline_since,
      polling: r.polling === 1,
      watched: watched.some((w) => w === r.path || isInside(r.path, w)),
      nested: all.some((other) => other !== r.path && isInside(r.path, other)),
      ...this.store.countsUnder(r.path),
      scannedAt: r.scanned_at,
    }));
  }

  /** Reconciles every root with the disk, then keeps the index current; see Library.watch. */
  async watch(options: WatchOptions = {}): Promise<Watcher> {
    if (this.watching) throw new Error('this library is already being watched');
    this.watcher = await Watcher.start(
      {
        ...this.indexerDeps(),
        onDrained: async () => {
          await this.afterPass();
          await this.sweepThumbnails();
          this.drained();
        },
      },
      options,
    );
    return this.watcher;
  }

  async stopWatching(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = null;
    await watcher?.close();
  }

  /** What a pass embeds with (the target model) and tells of what changed, as it starts. */
  private indexerDeps(): IndexerDeps {
    return {
      repo: this.files,
      store: this.store,
      pool: () => this.models.pool(),
      modelId: this.models.targetId,
      exclude: this.stores.exclude,
      onIndexed: (results, removed) => this.search.keepInStep(results, removed),
    };
  }

  /** After a pass: a model switch that completed starts serving; the search space is refitted and indexed. */
  private async afterPass(): Promise<void> {
    this.models.finishSwitchIfComplete();
    await this.search.update();
  }

  private sweepThumbnails(): Promise<number> {
    return sweepOrphanThumbnails(this.stores.thumbnailDir, this.files.thumbnailsInUse());
  }
}

function folderStat(folder: string): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch {
    throw new Error(`folder not found: ${folder}`);
  }
  if (!stat.isDirectory()) throw new Error(`not a folder: ${folder}`);
  return stat;
}
