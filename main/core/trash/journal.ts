/**
 * The trash journal: one batch per resolution, one entry per file sent to the trash, holding where
 * it went and a snapshot of its index row (row, vector, tags, caption), so that "undo" can put the
 * file back and re-enter it in the library exactly as it was, without re-indexing.
 */
import type { Db } from '../store/database.js';
import { ensureSearchSchema } from '../text-search/schema.js';
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

export interface TrashEntry extends TrashedFile, TrashSnapshot {
  id: number;
  batchId: number;
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
}

export class TrashJournal {
  constructor(private readonly db: Db) {
    ensureSearchSchema(db);
  }

  beginBatch(note: string | null = null): number {
    return Number(this.db.prepare('INSERT INTO trash_batches (created_at, note) VALUES (?, ?)').run(Date.now(), note).lastInsertRowid);
  }

  addEntry(batchId: number, trashed: TrashedFile, snapshot: TrashSnapshot): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO trash_entries (batch_id, original_path, method, trashed_path, info_path, content_hash, file_row, model_id, vector, tags, caption)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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

  entries(batchId: number): TrashEntry[] {
    const rows = this.db.prepare('SELECT * FROM trash_entries WHERE batch_id = ? ORDER BY id').all(batchId) as EntryRow[];
    return rows.map((r) => ({
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
      restoredAt: r.restored_at,
    }));
  }

  markRestored(entryId: number, to: string): void {
    this.db.prepare('UPDATE trash_entries SET restored_at = ?, restored_to = ? WHERE id = ?').run(Date.now(), to, entryId);
  }

  markUndone(batchId: number): void {
    this.db.prepare('UPDATE trash_batches SET undone_at = ? WHERE id = ?').run(Date.now(), batchId);
  }
}
