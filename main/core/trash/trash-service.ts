/**
 * Sends library photos to the trash as one undoable batch, and undoes the last batch: files go
 * back where they were and their index rows (with vector, tags and caption) are re-entered, so the
 * library is as it was without re-indexing.
 *
 * The journal comes first: every file of the batch is recorded as an intent (where it will go)
 * in one committed transaction before anything moves; each file is then moved and its entry marked
 * done with its row's removal, in one transaction. A crash in between is settled by
 * `recoverInterruptedTrash` (when a library opens, and before an undo). A full disk stops the
 * batch: what moved stays undoable, the rest stays put, and nothing is left half-done.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Db } from '../store/database.js';
import { TagsRepository } from '../text-search/tags-repository.js';
import { TrashJournal, type TrashEntry, type TrashSnapshot } from './journal.js';
import { recoverInterruptedTrash, type RecoveryNote } from './recovery.js';
import { carryOutTrash, isDiskFull, planTrash, restoreFromTrash, trashDestination, type TrashedFile } from './trash-bin.js';

export interface TrashOutcome {
  batchId: number | null;
  trashed: string[];
  /** File ids whose rows left the index. */
  removedIds: number[];
  failed: { path: string; reason: string }[];
  destination: string;
  /** Set when the batch stopped early (a full disk), in words. */
  stopped: string | null;
}

export interface UndoOutcome {
  batchId: number | null;
  restored: string[];
  /** Rows re-entered in the index: id and raw vector (when it had one). */
  reinstated: { id: number; path: string; modelId: string | null; vector: Float32Array | null }[];
  failed: { path: string; reason: string }[];
  /** What an interrupted resolution had left half-done, finished or rolled back first. */
  recovered: RecoveryNote[];
}

export interface FileRowLike {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  content_hash: string | null;
  [column: string]: unknown;
}

/** Called for each file just before it moves: why it must stay where it is, or null. */
export type TrashCheck = (file: string, row: FileRowLike | undefined) => Promise<string | null>;

export async function trashFiles(db: Db, paths: string[], note: string | null = null, check?: TrashCheck): Promise<TrashOutcome> {
  const journal = new TrashJournal(db);
  const destination = trashDestination();
  const outcome: TrashOutcome = { batchId: null, trashed: [], removedIds: [], failed: [], destination, stopped: null };
  if (paths.length === 0) return outcome;
  const selectRow = db.prepare('SELECT * FROM files WHERE path = ?');
  const selectVector = db.prepare('SELECT model_id, vector FROM vectors WHERE file_id = ?');
  const userTags = new TagsRepository(db);
  const deleteRow = db.prepare('DELETE FROM files WHERE id = ?');
  const snapshot = (row: FileRowLike | undefined): TrashSnapshot => {
    const vector = row ? (selectVector.get(row.id) as { model_id: string; vector: Buffer } | undefined) : undefined;
    return {
      contentHash: row?.content_hash ?? null,
      fileRow: row ?? null,
      modelId: vector?.model_id ?? null,
      vector: vector?.vector ?? null,
      tags: row ? userTags.tagsOf(row.id) : [],
      caption: row ? userTags.captionOf(row.id) : null,
    };
  };

  // 1. The intents, committed before anything moves.
  const planned = new Set<string>();
  let batchId: number;
  let intents: { file: string; row: FileRowLike | undefined; plan: TrashedFile; entryId: number }[];
  try {
    ({ batchId, intents } = db.transaction(() => {
      const id = journal.beginBatch(note);
      const list = [...new Set(paths)].map((file) => {
        const row = selectRow.get(file) as FileRowLike | undefined;
        const plan = planTrash(file, planned);
        return { file, row, plan, entryId: journal.addIntent(id, plan, snapshot(row)) };
      });
      return { batchId: id, intents: list };
    })());
  } catch (error) {
    if (!isDiskFull(error)) throw error;
    const reason = 'the disk holding the library database is full: nothing was trashed (free some space and try again)';
    outcome.stopped = reason;
    outcome.failed = [...new Set(paths)].map((p) => ({ path: p, reason }));
    return outcome;
  }

  // 2. Each file: check, move, mark done (with its row's removal).
  for (const { file, row, plan, entryId } of intents) {
    if (outcome.stopped) {
      tryTo(() => journal.dropEntry(entryId));
      outcome.failed.push({ path: file, reason: `not trashed: ${outcome.stopped}` });
      continue;
    }
    const refusal = !fs.existsSync(file) ? 'file not found' : ((await check?.(file, row)) ?? null);
    if (refusal) {
      tryTo(() => journal.dropEntry(entryId));
      outcome.failed.push({ path: file, reason: refusal });
      continue;
    }
    let trashed: TrashedFile;
    try {
      trashed = await carryOutTrash(plan);
    } catch (error) {
      tryTo(() => journal.dropEntry(entryId));
      if (isDiskFull(error)) {
        outcome.stopped = `the disk holding ${destination} is full, so the resolution stopped (free some space and resolve again)`;
        outcome.failed.push({ path: file, reason: `not trashed: ${outcome.stopped}` });
      } else outcome.failed.push({ path: file, reason: (error as Error).message });
      continue;
    }
    try {
      db.transaction(() => {
        journal.markDone(entryId, trashed);
        if (row) deleteRow.run(row.id);
      })();
    } catch (error) {
      // The journal cannot say it moved (the database's disk is full?): put it back, so that the
      // trash never holds a file undo does not know of. (If even that fails, the intent stays
      // and the next open settles it.)
      const back = await restoreFromTrash(trashed, null).then(
        () => true,
        () => false,
      );
      if (back) tryTo(() => journal.dropEntry(entryId));
      outcome.stopped = isDiskFull(error)
        ? 'the disk holding the library database is full, so the resolution stopped (free some space and resolve again)'
        : `the journal could not be written (${(error as Error).message}), so the resolution stopped`;
      outcome.failed.push({ path: file, reason: `not trashed: ${outcome.stopped}` });
      continue;
    }
    outcome.trashed.push(file);
    if (row) outcome.removedIds.push(row.id);
  }
  tryTo(() => journal.dropBatchIfEmpty(batchId));
  outcome.batchId = outcome.trashed.length ? batchId : null;
  return outcome;
}

/**
 * Undoes the most recent batch that is not undone yet, after settling what a crash left
 * half-done. Each file comes from where the journal says it was put.
 */
export async function undoLastTrash(db: Db): Promise<UndoOutcome> {
  const recovered = recoverInterruptedTrash(db);
  const journal = new TrashJournal(db);
  const batch = journal.lastOpenBatch();
  const outcome: UndoOutcome = { batchId: batch?.id ?? null, restored: [], reinstated: [], failed: [], recovered };
  if (!batch) return outcome;
  if (journal.hasIntents(batch.id)) {
    // (Abandoned intents were settled above: these belong to a resolution still running.)
    outcome.failed.push({ path: '', reason: 'a resolution is still running (in another window or process): undo it once it is done' });
    return outcome;
  }
  for (const entry of journal.entries(batch.id)) {
    if (entry.restoredAt !== null) continue;
    let target: string;
    try {
      target = alreadyBack(entry) ?? (await restoreFromTrash(entry, entry.contentHash));
    } catch (error) {
      outcome.failed.push({ path: entry.originalPath, reason: (error as Error).message });
      continue;
    }
    const reinstated = db.transaction(() => {
      const r = reinstate(db, entry, target);
      journal.markRestored(entry.id, target);
      return r;
    })();
    outcome.restored.push(target);
    if (reinstated) outcome.reinstated.push(reinstated);
  }
  if (outcome.failed.length === 0) journal.markUndone(batch.id);
  return outcome;
}

function tryTo(action: () => void): void {
  try {
    action();
  } catch {
    // settled by the next open, like a crash
  }
}

/**
 * An undo interrupted after moving a file back but before recording it: the file is at its old
 * path with the recorded content and gone from where we had put it. Returns that path.
 */
function alreadyBack(entry: TrashEntry): string | null {
  if (!entry.trashedPath || fs.existsSync(entry.trashedPath) || !entry.contentHash) return null;
  try {
    if (crypto.createHash('sha1').update(fs.readFileSync(entry.originalPath)).digest('hex') !== entry.contentHash) return null;
  } catch {
    return null;
  }
  if (entry.infoPath) fs.rmSync(entry.infoPath, { force: true });
  return entry.originalPath;
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
    new TagsRepository(db).restore(id, entry.tags, entry.caption);
    const vector =
      entry.vector && row.status === 'indexed'
        ? new Float32Array(Uint8Array.from(entry.vector).buffer)
        : null;
    return { id, path: target, modelId: entry.modelId, vector };
  })();
}
