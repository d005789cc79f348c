/**
 * The trash journal: one batch per resolution, one entry per file sent to the trash, holding where
 * it went and a snapshot of its index row (row, vector, tags, caption), so that "undo" can put the
 * file back and re-enter it in the library exactly as it was, without re-indexing.
 *
 * An entry is written (committed) as an 'intent' before its file moves, and marked 'done' once
 * the file is in the trash and out of the index: a crash in between leaves an intent that the
 * next process finishes or rolls back (see recovery.ts). A batch names its owner process, so that
 * the intents of a resolution still running elsewhere are left alone.
 */
import os from 'node:os';
import type { Db } from '../store/database.js';
import type { TrashedFile, TrashMethod } from './trash-bin.js';

export interface TrashSnapshot {
  contentHash: string | null;
  /** The `files` row as it was (JSON-able). */
  fileRow: Record<string, unknown> | null;
  modelId: string | null;
  vector: Buffer | null;
  tags: string[];
  caption: string | null;
}

export type EntryState = 'intent' | 'done';

export interface TrashEntry extends TrashedFile, TrashSnapshot {
  id: number;
  batchId: number;
  state: EntryState;
  restoredAt: number | null;
}

export interface TrashBatch {
  id: number;
  createdAt: number;
  undoneAt: number | null;
  note: string | null;
}

interface EntryRow {
  id: number;
  batch_id: number;
  original_path: string;
  method: TrashMethod;
  trashed_path: string | null;
  info_path: string | null;
  content_hash: string | null;
  file_row: string | null;
  model_id: string | null;
  vector: Buffer | null;
  tags: string | null;
  caption: string | null;
  restored_at: number | null;
  state: EntryState;
}

/** This process, as a batch's owner: its pid and when the machine booted (pids restart at boot). */
function ownerId(): string {
  return `${process.pid}@${Math.round(Date.now() - os.uptime() * 1000)}`;
}

/** Whether the process that wrote `owner` may still be running (it is, or we cannot tell). */
export function ownerAlive(owner: string | null): boolean {
  if (!owner) return false; // written before batches had owners: no resolution of then still runs
  const [pid, boot] = owner.split('@').map(Number);
  // Boot times computed from the clock drift a little: minutes apart means another boot.
  if (Math.abs(Date.now() - os.uptime() * 1000 - boot) > 5 * 60_000) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

export class TrashJournal {
  constructor(private readonly db: Db) {}

  beginBatch(note: string | null = null): number {
    return Number(
      this.db.prepare('INSERT INTO trash_batches (created_at, note, owner) VALUES (?, ?, ?)').run(Date.now(), note, ownerId()).lastInsertRowid,
    );
  }

  /** Records that `trashed.originalPath` is about to go to `trashed.trashedPath` (commit before moving). */
  addIntent(batchId: number, trashed: TrashedFile, snapshot: TrashSnapshot): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO trash_entries (batch_id, original_path, method, trashed_path, info_path, content_hash, file_row, model_id, vector, tags, caption, state)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'intent')`,
        )
        .run(
          batchId,
          trashed.originalPath,
          trashed.method,
          trashed.trashedPath,
          trashed.infoPath,
          snapshot.contentHash,
          snapshot.fileRow ? JSON.stringify(snapshot.fileRow) : null,
          snapshot.modelId,
          snapshot.vector,
          JSON.stringify(snapshot.tags),
          snapshot.caption,
        ).lastInsertRowid,
    );
  }

  /** The file is in the trash (where `trashed` says): the entry is one undo can bring back. */
  markDone(entryId: number, trashed: TrashedFile): void {
    this.db
      .prepare("UPDATE trash_entries SET state = 'done', trashed_path = ?, info_path = ? WHERE id = ?")
      .run(trashed.trashedPath, trashed.infoPath, entryId);
  }

  /** An intent that did not happen (the file stayed where it was). */
  dropEntry(entryId: number): void {
    this.db.prepare('DELETE FROM trash_entries WHERE id = ?').run(entryId);
  }

  /** Intents left by processes that are gone (crashed or killed mid-resolution). */
  abandonedIntents(): TrashEntry[] {
    const rows = this.db
      .prepare("SELECT e.*, b.owner AS owner FROM trash_entries e JOIN trash_batches b ON b.id = e.batch_id WHERE e.state = 'intent' ORDER BY e.id")
      .all() as (EntryRow & { owner: string | null })[];
    const alive = new Map<string | null, boolean>();
    return rows
      .filter((r) => {
        if (!alive.has(r.owner)) alive.set(r.owner, ownerAlive(r.owner));
        return !alive.get(r.owner);
      })
      .map(toEntry);
  }

  /** Batches of gone processes that hold no entry (everything rolled back): dropped. */
  dropEmptyAbandonedBatches(): void {
    const rows = this.db
      .prepare('SELECT id, owner FROM trash_batches b WHERE undone_at IS NULL AND NOT EXISTS (SELECT 1 FROM trash_entries e WHERE e.batch_id = b.id)')
      .all() as { id: number; owner: string | null }[];
    for (const r of rows) if (!ownerAlive(r.owner)) this.db.prepare('DELETE FROM trash_batches WHERE id = ?').run(r.id);
  }

  /** A batch that ended up empty (nothing could be trashed) is dropped. */
  dropBatchIfEmpty(batchId: number): void {
    const n = (this.db.prepare('SELECT COUNT(*) AS n FROM trash_entries WHERE batch_id = ?').get(batchId) as { n: number }).n;
    if (n === 0) this.db.prepare('DELETE FROM trash_batches WHERE id = ?').run(batchId);
  }

  /** The most recent resolution not undone yet. */
  lastOpenBatch(): TrashBatch | null {
    const row = this.db.prepare('SELECT * FROM trash_batches WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1').get() as
      | { id: number; created_at: number; undone_at: number | null; note: string | null }
      | undefined;
    return row ? { id: row.id, createdAt: row.created_at, undoneAt: row.undone_at, note: row.note } : null;
  }

  hasIntents(batchId: number): boolean {
    return this.db.prepare("SELECT 1 FROM trash_entries WHERE batch_id = ? AND state = 'intent' LIMIT 1").get(batchId) !== undefined;
  }

  /** The entries of a batch whose files went to the trash. */
  entries(batchId: number): TrashEntry[] {
    const rows = this.db.prepare("SELECT * FROM trash_entries WHERE batch_id = ? AND state = 'done' ORDER BY id").all(batchId) as EntryRow[];
    return rows.map(toEntry);
  }

  markRestored(entryId: number, to: string): void {
    this.db.prepare('UPDATE trash_entries SET restored_at = ?, restored_to = ? WHERE id = ?').run(Date.now(), to, entryId);
  }

  markUndone(batchId: number): void {
    this.db.prepare('UPDATE trash_batches SET undone_at = ? WHERE id = ?').run(Date.now(), batchId);
  }
}

function toEntry(r: EntryRow): TrashEntry {
  return {
    id: r.id,
    batchId: r.batch_id,
    originalPath: r.original_path,
    method: r.method,
    trashedPath: r.trashed_path,
    infoPath: r.info_path,
    contentHash: r.content_hash,
    fileRow: r.file_row ? (JSON.parse(r.file_row) as Record<string, unknown>) : null,
    modelId: r.model_id,
    vector: r.vector,
    tags: r.tags ? (JSON.parse(r.tags) as string[]) : [],
    caption: r.caption,
    state: r.state,
    restoredAt: r.restored_at,
  };
}
