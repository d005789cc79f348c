/**
 * Finishing what a crash left half-done. A resolution journals each file as an 'intent' before it
 * moves; a process killed in between leaves intents behind. For each (of a process that is gone)
 * the disk says which side of the move it is on:
 * - in the trash and not at its old path: the move happened — finish it (the entry becomes one
 *   that undo brings back, and the row leaves the index, as for any trashed file);
 * - still at its old path: it never moved — roll back (the entry goes; anything of ours in the
 *   trash, a `.trashinfo` or a partial copy across disks, is removed).
 * Each is reported in words, so the user is told.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/database.js';
import { TrashJournal, type TrashEntry } from './journal.js';
import { findInFreedesktopTrash, findInMacTrash } from './trash-bin.js';

export interface RecoveryNote {
  path: string;
  /** finished: it is in the trash (undo brings it back); rolled-back: it stayed where it was; unsettled: not yet (see message). */
  outcome: 'finished' | 'rolled-back' | 'missing' | 'unsettled';
  message: string;
}

/** Finishes or rolls back the intents of crashed resolutions. Synchronous: runs when a library opens. */
export function recoverInterruptedTrash(db: Db): RecoveryNote[] {
  const journal = new TrashJournal(db);
  const notes: RecoveryNote[] = [];
  const deleteRow = db.prepare('DELETE FROM files WHERE id = ? AND path = ?');
  for (const entry of journal.abandonedIntents()) {
    const note = settle(entry);
    db.transaction(() => {
      if (note.outcome === 'finished') {
        journal.markDone(entry.id, note.trashed);
        const id = Number(entry.fileRow?.id);
        if (Number.isInteger(id)) deleteRow.run(id, entry.originalPath);
      } else journal.dropEntry(entry.id);
    })();
    notes.push({ path: entry.originalPath, outcome: note.outcome, message: note.message });
  }
  journal.dropEmptyAbandonedBatches();
  return notes;
}

type Settled =
  | { outcome: 'finished'; trashed: TrashEntry; message: string }
  | { outcome: 'rolled-back' | 'missing'; message: string };

function settle(entry: TrashEntry): Settled {
  const name = path.basename(entry.originalPath);
  const atOrigin = fs.existsSync(entry.originalPath);
  const finished = (trashed: TrashEntry): Settled => ({
    outcome: 'finished',
    trashed,
    message: `${name} had been moved to the trash when a resolution was interrupted: the move is complete, and \`dupes undo\` brings it back`,
  });
  const rolledBack: Settled = { outcome: 'rolled-back', message: `${name} was about to go to the trash when a resolution was interrupted: it stays where it is` };

  if (entry.trashedPath === null) {
    // The OS trash chose where it went: look for it there (by its recorded path and content).
    if (atOrigin) return rolledBack;
    const found =
      entry.method === 'freedesktop'
        ? findInFreedesktopTrash(entry.originalPath, undefined, entry.contentHash)
        : entry.method === 'macos'
          ? { file: findInMacTrash(entry.originalPath, entry.contentHash), info: null }
          : null;
    return finished({ ...entry, trashedPath: found?.file ?? null, infoPath: found?.info ?? null });
  }

  const inTrash = fs.existsSync(entry.trashedPath);
  if (inTrash && !atOrigin) return finished(entry);
  if (inTrash && atOrigin) {
    // A copy across disks that stopped before removing the original (or was cut short): the
    // original is intact, so our copy goes.
    if (!entry.contentHash || sha1(entry.originalPath) === entry.contentHash) {
      fs.rmSync(entry.trashedPath, { force: true });
      removeOurInfo(entry);
      return rolledBack;
    }
    return finished(entry); // something new at the old path: keep both, undo puts ours beside it
  }
  removeOurInfo(entry);
  if (atOrigin) return rolledBack;
  return { outcome: 'missing', message: `${name} was about to go to the trash when a resolution was interrupted, and is neither there nor in the trash now` };
}

/**
 * Removes the entry's `.trashinfo` when it is ours: what we write for this file, or a start of
 * it (a kill while it was being written leaves it empty or cut short).
 */
function removeOurInfo(entry: TrashEntry): void {
  if (!entry.infoPath) return;
  let text: string;
  try {
    text = fs.readFileSync(entry.infoPath, 'utf8');
  } catch {
    return;
  }
  const ours = `[Trash Info]\nPath=${encodeURI(entry.originalPath)}\n`;
  if (text.startsWith(ours) || ours.startsWith(text)) fs.rmSync(entry.infoPath, { force: true });
}

function sha1(file: string): string | null {
  try {
    return crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}
