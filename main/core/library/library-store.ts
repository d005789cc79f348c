/**
 * The SQL of roots and file identity that indexing and watching need beyond FilesRepository:
 * root state (offline, device, polling), moves (a row follows its file to a new path, keeping its
 * id, vector, tags and decisions), copies (a second row reusing the first one's decode and
 * vector), removal of a root's entries, and the size lookup that makes move detection cheap.
 */
import type { Db } from '../store/database.js';
import type { FileRow } from '../store/files-repository.js';
import { isInside } from '../store/files-repository.js';
import { underFolder } from '../store/folder-range.js';

export interface RootRow {
  path: string;
  added_at: number;
  offline_since: number | null;
  device: number | null;
  polling: number;
  scanned_at: number | null;
}

export interface RootCounts {
  files: number;
  indexed: number;
  pending: number;
  failed: number;
}

export interface Observed {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface FileVersion {
  size: number;
  mtime_ms: number;
  path: string;
  status: FileRow['status'];
  indexed_at: number | null;
}

export class LibraryStore {
  constructor(private readonly db: Db) {}

  // --- roots ---------------------------------------------------------------------------------

  rootRows(): RootRow[] {
    return this.db.prepare('SELECT * FROM roots ORDER BY path').all() as RootRow[];
  }

  root(root: string): RootRow | undefined {
    return this.db.prepare('SELECT * FROM roots WHERE path = ?').get(root) as RootRow | undefined;
  }

  addRoot(root: string, options: { device?: number; polling?: boolean } = {}): boolean {
    const inserted = this.db
      .prepare('INSERT OR IGNORE INTO roots (path, added_at, device, polling) VALUES (?, ?, ?, ?)')
      .run(root, Date.now(), options.device ?? null, options.polling ? 1 : 0).changes;
    if (!inserted && options.polling !== undefined) this.setPolling(root, options.polling);
    return inserted > 0;
  }

  setPolling(root: string, polling: boolean): void {
    this.db.prepare('UPDATE roots SET polling = ? WHERE path = ?').run(polling ? 1 : 0, root);
  }

  /** Marks a root reachable (with its device) or not; returns true when the state changed. */
  setOnline(root: string, online: boolean, device?: number): boolean {
    const row = this.root(root);
    if (!row) return false;
    if (online) {
      this.db.prepare('UPDATE roots SET offline_since = NULL, device = COALESCE(?, device) WHERE path = ?').run(device ?? null, root);
      return row.offline_since !== null;
    }
    if (row.offline_since !== null) return false;
    this.db.prepare('UPDATE roots SET offline_since = ? WHERE path = ?').run(Date.now(), root);
    return true;
  }

  markScanned(root: string): void {
    this.db.prepare('UPDATE roots SET scanned_at = ? WHERE path = ?').run(Date.now(), root);
  }

  /**
   * Forgets a root and the entries no other root still covers (the index only: nothing on disk
   * is touched). Returns the ids of the forgotten files.
   */
  removeRoot(root: string): number[] {
    const ids: number[] = [];
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM roots WHERE path = ?').run(root);
      const others = this.rootRows().map((r) => r.path);
      const under = underFolder(root);
      const rows = this.db.prepare(`SELECT id, path FROM files WHERE ${under.sql}`).all(...under.args) as { id: number; path: string }[];
      const remove = this.db.prepare('DELETE FROM files WHERE id = ?');
      for (const row of rows) {
        if (others.some((other) => isInside(row.path, other))) continue;
        remove.run(row.id);
        ids.push(row.id);
      }
    })();
    return ids;
  }

  countsUnder(root: string): RootCounts {
    const under = underFolder(root);
    const rows = this.db
      .prepare(`SELECT status, COUNT(*) AS n FROM files WHERE ${under.sql} GROUP BY status`)
      .all(...under.args) as { status: 'indexed' | 'pending' | 'failed'; n: number }[];
    const counts: RootCounts = { files: 0, indexed: 0, pending: 0, failed: 0 };
    for (const r of rows) {
      counts[r.status] = r.n;
      counts.files += r.n;
    }
    return counts;
  }

  // --- identity ------------------------------------------------------------------------------

  /** Indexed rows with this size (the candidates a new file of this size may be a move or copy of). */
  indexedWithSize(size: number): FileRow[] {
    return this.db.prepare("SELECT * FROM files WHERE size = ? AND status = 'indexed' AND content_hash IS NOT NULL").all(size) as FileRow[];
  }

  byPath(file: string): FileRow | undefined {
    return this.db.prepare('SELECT * FROM files WHERE path = ?').get(file) as FileRow | undefined;
  }

  byId(id: number): FileRow | undefined {
    return this.db.prepare('SELECT * FROM files WHERE id = ?').get(id) as FileRow | undefined;
  }

  /** Every file row whose path lies under `folder` (for a folder that vanished). */
  pathsUnder(folder: string): string[] {
    const under = underFolder(folder);
    return (this.db.prepare(`SELECT path FROM files WHERE ${under.sql}`).all(...under.args) as { path: string }[]).map((r) => r.path);
  }

  /**
   * Applies what a reconciliation found, in one transaction: moves, copies, content-equal
   * touches, deletions, and new or changed files queued as pending. Returns the ids of the rows
   * it deleted and the rows of the copies it made.
   */
  apply(changes: {
    moves: { id: number; to: Observed }[];
    copies: { sourceId: number; to: Observed }[];
    touches: { id: number; to: Observed }[];
    removals: number[];
    pending: Observed[];
  }): { removedIds: number[]; copiedIds: number[] } {
    const removedIds: number[] = [];
    const copiedIds: number[] = [];
    const idAt = this.db.prepare('SELECT id FROM files WHERE path = ?');
    const deleteId = this.db.prepare('DELETE FROM files WHERE id = ?');
    const move = this.db.prepare('UPDATE files SET path = ?, size = ?, mtime_ms = ? WHERE id = ?');
    const touch = this.db.prepare('UPDATE files SET size = ?, mtime_ms = ? WHERE id = ?');
    const copy = this.db.prepare(
      `INSERT INTO files (path, size, mtime_ms, status, error, content_hash, format, width, height, taken_at, camera, lens,
         gps_lat, gps_lon, exposure_time, f_number, iso, focal_length, exposure_read, dhash, phash, view_hashes, thumbnail, added_at, indexed_at)
       SELECT ?, ?, ?, status, error, content_hash, format, width, height, taken_at, camera, lens,
         gps_lat, gps_lon, exposure_time, f_number, iso, focal_length, exposure_read, dhash, phash, view_hashes, thumbnail, ?, ? FROM files WHERE id = ?`,
    );
    const copyVector = this.db.prepare('INSERT INTO vectors (file_id, model_id, vector) SELECT ?, model_id, vector FROM vectors WHERE file_id = ?');
    const upsertPending = this.db.prepare(
      "INSERT INTO files (path, size, mtime_ms, status, added_at) VALUES (?, ?, ?, 'pending', ?) " +
        "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, status = 'pending', error = NULL",
    );
    /** Frees a path for a row arriving there (a file moved onto another one replaces it). */
    const clear = (target: string, keepId: number) => {
      const existing = idAt.get(target) as { id: number } | undefined;
      if (existing && existing.id !== keepId) {
        deleteId.run(existing.id);
        removedIds.push(existing.id);
      }
    };
    const now = Date.now();
    this.db.transaction(() => {
      for (const id of changes.removals) if (deleteId.run(id).changes) removedIds.push(id);
      // Two passes so a chain (a→b while b→c) never collides on the unique path.
      const parked = changes.moves.map((m) => {
        move.run(`\u0000moving:${m.id}`, m.to.size, m.to.mtimeMs, m.id);
        return m;
      });
      for (const m of parked) {
        clear(m.to.path, m.id);
        move.run(m.to.path, m.to.size, m.to.mtimeMs, m.id);
      }
      for (const t of changes.touches) touch.run(t.to.size, t.to.mtimeMs, t.id);
      for (const c of changes.copies) {
        clear(c.to.path, -1);
        const id = Number(copy.run(c.to.path, c.to.size, c.to.mtimeMs, now, now, c.sourceId).lastInsertRowid);
        copyVector.run(id, c.sourceId);
        copiedIds.push(id);
      }
      for (const p of changes.pending) upsertPending.run(p.path, p.size, p.mtimeMs, now);
    })();
    return { removedIds, copiedIds };
  }

  /** Pending rows under these folders (what a crash or a pass left to do), oldest path first. */
  pendingUnder(folders: string[]): FileRow[] {
    const all = this.db.prepare("SELECT * FROM files WHERE status = 'pending' ORDER BY path").all() as FileRow[];
    return all.filter((row) => folders.some((folder) => isInside(row.path, folder)));
  }

  /** Which of these ids still exist, with the size and mtime they have now. */
  currentVersions(ids: number[]): Map<number, FileVersion> {
    const statement = this.db.prepare('SELECT size, mtime_ms, path, status, indexed_at FROM files WHERE id = ?');
    const out = new Map<number, FileVersion>();
    for (const id of ids) {
      const row = statement.get(id) as FileVersion | undefined;
      if (row) out.set(id, row);
    }
    return out;
  }
}

/** Roots that are not inside another root: the folders actually walked and watched. */
export function outermost(roots: string[]): string[] {
  const unique = [...new Set(roots)];
  return unique.filter((root) => !unique.some((other) => other !== root && isInside(root, other))).sort();
}

/** The outermost of `roots` that contains `file`, if any. */
export function rootOf(file: string, roots: string[]): string | undefined {
  let best: string | undefined;
  for (const root of roots) if (isInside(file, root) && (!best || best.length > root.length)) best = root;
  return best;
}
