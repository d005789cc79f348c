/**
 * Turns "what is on disk" plus "what the index remembers" into changes to the index, keeping file
 * identity: a new file with the size and content hash of a row whose file is gone *is* that file,
 * moved or renamed, so the row follows it (same id, vector, tags, decisions; nothing re-embedded
 * and nothing reported as deleted + new). A new file equal to one still present is a copy and
 * reuses its decode and vector. A changed mtime with the same bytes is only noted.
 *
 * Hashing is the only cost beyond a stat, and it is paid only when sizes collide.
 * Shared by one-shot indexing (full scans) and the watcher (the paths events named).
 */
import type { FileRow } from '../store/files-repository.js';
import { isInside } from '../store/files-repository.js';
import { ExactExistence, tryHashFile } from './identity.js';
import type { LibraryStore, Observed } from './library-store.js';

export interface ReconcileInput {
  /** Image files found on disk (stat'ed). */
  present: Observed[];
  /** Rows whose files are no longer where the index says (checked with the exact name). */
  gone: FileRow[];
  /** The row currently at a path, if any. */
  rowAt: (file: string) => FileRow | undefined;
  /** Roots that are unreachable right now: rows there cannot be checked on disk. */
  offlineRoots: string[];
  /** Gone rows not to delete yet (the watcher's grace period, for a move's second half). */
  keep?: (row: FileRow) => boolean;
}

export interface ReconcilePlan {
  moves: { id: number; from: string; to: Observed }[];
  copies: { sourceId: number; to: Observed }[];
  touches: { id: number; to: Observed }[];
  removals: FileRow[];
  /** Gone rows kept for now (see `keep`). */
  kept: FileRow[];
  /** New or changed files to decode and embed. */
  pending: Observed[];
  added: Observed[];
  updated: Observed[];
  unchanged: number;
}

export async function reconcile(store: LibraryStore, input: ReconcileInput, existence = new ExactExistence()): Promise<ReconcilePlan> {
  const plan: ReconcilePlan = { moves: [], copies: [], touches: [], removals: [], kept: [], pending: [], added: [], updated: [], unchanged: 0 };
  const goneIds = new Set(input.gone.map((r) => r.id));
  const goneBySize = new Map<number, FileRow[]>();
  for (const row of input.gone) {
    if (row.status !== 'indexed' || !row.content_hash) continue;
    const list = goneBySize.get(row.size) ?? [];
    list.push(row);
    goneBySize.set(row.size, list);
  }
  const used = new Set<number>();
  const isOffline = (file: string) => input.offlineRoots.some((root) => isInside(file, root));

  for (const file of input.present) {
    const row = input.rowAt(file.path);
    if (row && row.size === file.size && row.mtime_ms === file.mtimeMs) {
      plan.unchanged++;
      continue;
    }
    const sameSizeGone = (goneBySize.get(file.size) ?? []).filter((c) => !used.has(c.id));
    const sameSizeKnown = store.indexedWithSize(file.size).filter((c) => c.id !== row?.id && !goneIds.has(c.id) && !used.has(c.id));
    const selfComparable = row !== undefined && row.status === 'indexed' && row.size === file.size && row.content_hash !== null;
    let outcome: 'touch' | 'move' | 'copy' | 'embed' = 'embed';
    let match: FileRow | undefined;
    if (sameSizeGone.length || sameSizeKnown.length || selfComparable) {
      const hash = await tryHashFile(file.path);
      if (hash !== null) {
        if (selfComparable && row!.content_hash === hash) outcome = 'touch';
        else {
          match = sameSizeGone.find((c) => c.content_hash === hash);
          if (match) outcome = 'move';
          else {
            for (const candidate of sameSizeKnown.filter((c) => c.content_hash === hash)) {
              // A row the events have not reported gone yet, or outside this pass's folders.
              if (!isOffline(candidate.path) && !(await existence.exists(candidate.path))) {
                match = candidate;
                outcome = 'move';
                break;
              }
              if (!match && !row) {
                match = candidate;
                outcome = 'copy';
              }
            }
          }
        }
      }
    }
    switch (outcome) {
      case 'touch':
        plan.touches.push({ id: row!.id, to: file });
        plan.unchanged++;
        break;
      case 'move':
        used.add(match!.id);
        plan.moves.push({ id: match!.id, from: match!.path, to: file });
        break;
      case 'copy':
        plan.copies.push({ sourceId: match!.id, to: file });
        plan.added.push(file);
        break;
      default:
        plan.pending.push(file);
        (row ? plan.updated : plan.added).push(file);
    }
  }

  for (const row of input.gone) {
    if (used.has(row.id)) continue;
    if (input.keep?.(row)) plan.kept.push(row);
    else plan.removals.push(row);
  }
  return plan;
}
