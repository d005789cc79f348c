/**
 * Sends library photos to the trash as one undoable batch, and undoes the last batch: files go
 * back where they were and their index rows (with vector, tags and caption) are re-entered, so the
 * library is as it was without re-indexing.
 */
import fs from 'node:fs';
import type { Db } from '../store/database.js';
import { TrashJournal, type TrashEntry } from './journal.js';
import { moveToTrash, restoreFromTrash, trashDestination } from './trash-bin.js';

export interface TrashOutcome {
  batchId: number | null;
  trashed: string[];
  /** File ids whose rows left the index. */
  removedIds: number[];
  failed: { path: string; reason: string }[];
  destination: string;
}

export interface UndoOutcome {
  batchId: number | null;
  restored: string[];
  /** Rows re-entered in the index: id and raw vector (when it had one). */
  reinstated: { id: number; path: string; modelId: string | null; vector: Float32Array | null }[];
  failed: { path: string; reason: string }[];
}

interface FileRowLike {
  id: number;
  path: string;
  content_hash: string | null;
  [column: string]: unknown;
}

export async function trashFiles(db: Db, paths: string[], note: string | null = null): Promise<TrashOutcome> {
  const journal = new TrashJournal(db);
  const outcome: TrashOutcome = { batchId: null, trashed: [], removedIds: [], failed: [], destination: trashDestination() };
  if (paths.length === 0) return outcome;
  const batchId = journal.beginBatch(note);
  const selectRow = db.prepare('SELECT * FROM files WHERE path = ?');
  const selectVector = db.prepare('SELECT model_id, vector FROM vectors WHERE file_id = ?');
  const selectTags = db.prepare('SELECT tag FROM tags WHERE file_id = ? ORDER BY tag');
  const selectCaption = db.prepare('SELECT caption FROM captions WHERE file_id = ?');
  const deleteRow = db.prepare('DELETE FROM files WHERE id = ?');
  for (const file of [...new Set(paths)]) {
    const row = selectRow.get(file) as FileRowLike | undefined;
    if (!fs.existsSync(file)) {
      outcome.failed.push({ path: file, reason: 'file not found' });
      continue;
    }
    let trashed;
    try {
      trashed = await moveToTrash(file);
    } catch (error) {
      outcome.failed.push({ path: file, reason: (error as Error).message });
      continue;
    }
    const vector = row ? (selectVector.get(row.id) as { model_id: string; vector: Buffer } | undefined) : undefined;
    db.transaction(() => {
      journal.addEntry(batchId, trashed, {
        contentHash: row?.content_hash ?? null,
        fileRow: row ?? null,
        modelId: vector?.model_id ?? null,
        vector: vector?.vector ?? null,
        tags: row ? (selectTags.all(row.id) as { tag: string }[]).map((t) => t.tag) : [],
        caption: row ? ((selectCaption.get(row.id) as { caption: string } | undefined)?.caption ?? null) : null,
      });
      if (row) deleteRow.run(row.id);
    })();
    outcome.trashed.push(file);
    if (row) outcome.removedIds.push(row.id);
  }
  journal.dropBatchIfEmpty(batchId);
  outcome.batchId = outcome.trashed.length ? batchId : null;
  return outcome;
}

/** Undoes the most recent batch that is not undone yet. */
export async function undoLastTrash(db: Db): Promise<UndoOutcome> {
  const journal = new TrashJournal(db);
  const batch = journal.lastOpenBatch();
  const outcome: UndoOutcome = { batchId: batch?.id ?? null, restored: [], reinstated: [], failed: [] };
  if (!batch) return outcome;
  for (const entry of journal.entries(batch.id)) {
    if (entry.restoredAt !== null) continue;
    let target: string;
    try {
      target = await restoreFromTrash(entry, entry.contentHash);
    } catch (error) {
      outcome.failed.push({ path: entry.originalPath, reason: (error as Error).message });
      continue;
    }
    const reinstated = reinstate(db, entry, target);
    journal.markRestored(entry.id, target);
    outcome.restored.push(target);
    if (reinstated) outcome.reinstated.push(reinstated);
  }
  if (outcome.failed.length === 0) journal.markUndone(batch.id);
  return outcome;
}

/** Re-enters a restored file's row, vector, tags and caption (same id when it is still free). */
function reinstate(db: Db, entry: TrashEntry, target: string): UndoOutcome['reinstated'][number] | null {
  if (!entry.fileRow) return null;
  if (db.prepare('SELECT 1 FROM files WHERE path = ?').get(target)) return null; // indexed again meanwhile
  const columns = new Set((db.prepare('PRAGMA table_info(files)').all() as { name: string }[]).map((c) => c.name));
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry.fileRow)) if (columns.has(key)) row[key] = value;
  row.path = target;
  const oldId = Number(row.id);
  if (!Number.isInteger(oldId) || db.prepare('SELECT 1 FROM files WHERE id = ?').get(oldId)) delete row.id;
  // A thumbnail swept while the file was away is made again by the next index pass.
  if (typeof row.thumbnail === 'string' && !fs.existsSync(row.thumbnail)) {
    row.thumbnail = null;
    row.status = 'pending';
  }
  const keys = Object.keys(row);
  return db.transaction(() => {
    const id = Number(
      db.prepare(`INSERT INTO files (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`).run(...keys.map((k) => row[k] as never))
        .lastInsertRowid,
    );
    if (entry.vector && entry.modelId) {
      db.prepare('INSERT OR REPLACE INTO vectors (file_id, model_id, vector) VALUES (?, ?, ?)').run(id, entry.modelId, entry.vector);
    }
    const addTag = db.prepare('INSERT OR IGNORE INTO tags (file_id, tag, added_at) VALUES (?, ?, ?)');
    for (const tag of entry.tags) addTag.run(id, tag, Date.now());
    if (entry.caption !== null) {
      db.prepare('INSERT OR REPLACE INTO captions (file_id, caption, updated_at) VALUES (?, ?, ?)').run(id, entry.caption, Date.now());
    }
    const vector =
      entry.vector && row.status === 'indexed'
        ? new Float32Array(Uint8Array.from(entry.vector).buffer)
        : null;
    return { id, path: target, modelId: entry.modelId, vector };
  })();
}
