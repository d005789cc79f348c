import type { Committed } from '../library/embed-queue.js';

/** What a running watcher reports (the CLI's `likeness watch` prints them; the API relays them). */
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

/** What a scan or a pass applied to the store, as far as its events tell. */
export interface AppliedChanges {
  moves: { id: number; from: string; to: { path: string } }[];
  removals: { id: number; path: string }[];
  copies: { sourceId: number; to: { path: string } }[];
  /** The copies' new row ids, in `copies` order. */
  copiedIds: number[];
}

/** Where a watcher's events go: its `onEvent` option, and listeners inside the core (a one-shot pass). */
export class WatchEvents {
  private readonly listeners = new Set<(event: WatchEvent) => void>();

  constructor(private readonly onEvent?: (event: WatchEvent) => void) {}

  emit(event: WatchEvent): void {
    for (const listener of this.listeners) listener(event);
    try {
      this.onEvent?.(event);
    } catch {
      // a listener's failure is not the watcher's
    }
  }

  /** Calls `listener` with every event until the returned function is called. */
  listen(listener: (event: WatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What a scan or a pass applied to the store: moves, then removals, then copies (as additions). */
  applied(changes: AppliedChanges, pathOf: (id: number) => string | undefined, idAt: (file: string) => number | undefined): void {
    for (const m of changes.moves) this.emit({ type: 'moved', from: m.from, to: m.to.path, id: m.id });
    for (const r of changes.removals) this.emit({ type: 'removed', path: r.path, id: r.id });
    changes.copies.forEach((c, i) => {
      const id = changes.copiedIds[i] ?? idAt(c.to.path) ?? -1;
      this.emit({ type: 'added', path: c.to.path, id, copyOf: pathOf(c.sourceId) });
    });
  }

  /** What the workers embedded (or could not), once committed. */
  committed(committed: Committed[]): void {
    for (const c of committed) {
      if (!c.ok) this.emit({ type: 'failed', path: c.path, id: c.id, reason: c.reason ?? 'failed' });
      else this.emit({ type: c.wasIndexed ? 'updated' : 'added', path: c.path, id: c.id });
    }
  }
}
