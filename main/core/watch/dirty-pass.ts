/**
 * One look at the dirty paths whose time has come — the disk, not the event, is the truth — and
 * the same reconciliation as a full scan: moves and renames keep their rows (by size + content
 * hash), copies reuse known vectors, new or changed files become pending. A file being written is
 * put back for later; a file seen gone waits `deleteGraceMs` for its move's other half; nothing
 * is deleted under a root that cannot be reached.
 */
import fs from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { FileRow } from '../store/files-repository.js';
import { isInside } from '../store/files-repository.js';
import { ExactExistence, hasEndMarker } from '../library/identity.js';
import type { LibraryStore, Observed } from '../library/library-store.js';
import { reconcile } from '../library/reconcile.js';
import type { Presence } from '../library/presence.js';
import type { ChangedPaths, Dirty } from './changed-paths.js';
import { pairCrossDeviceMoves, type RecentCopies } from './cross-device-moves.js';
import type { WatchTimings } from './options.js';
import { unreachableRoots } from './reachability.js';
import { writeVerdict } from './still-writing.js';

export interface PassEnv {
  store: LibraryStore;
  timings: Pick<WatchTimings, 'settleMs' | 'stableMs' | 'incompleteWaitMs' | 'deleteGraceMs'>;
  copies: RecentCopies;
  isIgnored: (file: string) => boolean;
  presenceOf: (root: string) => Promise<Presence>;
  /** A root holding files seen gone cannot be reached: it goes offline instead. */
  wentOffline: (root: string, reason: string) => void;
}

/** What a pass changed in the store (already applied), for the watcher to report and queue. */
export interface PassChanges {
  moves: { id: number; from: string; to: Observed }[];
  removals: { id: number; path: string }[];
  copies: { sourceId: number; to: Observed }[];
  copiedIds: number[];
  removedIds: number[];
  /** Rows to embed. */
  pending: { id: number }[];
}

/** Looks at what is due in `changed` and applies what it finds; null when nothing changed. */
export async function passOverDirty(changed: ChangedPaths, env: PassEnv): Promise<PassChanges | null> {
  const { store, timings } = env;
  const now = Date.now();
  const due = changed.takeDue(now);
  if (due.length === 0 && changed.goneSince.size === 0) return null;
  const existence = new ExactExistence();
  const present: Observed[] = [];
  const goneRows = new Map<number, FileRow>();
  const roots = store.rootRows();
  const onlineRoots = roots.filter((r) => r.offline_since === null).map((r) => r.path);
  const offlineRoots = roots.filter((r) => r.offline_since !== null).map((r) => r.path);

  const look = async ([file, dirty]: [string, Dirty]) => {
    if (!onlineRoots.some((r) => isInside(file, r))) return; // root removed or offline meanwhile
    if (offlineRoots.some((r) => isInside(file, r))) return; // under a nested root that is offline
    if (env.isIgnored(file)) return;
    const stat = await fs.stat(file).catch(() => null);
    if (stat && stat.isFile() && (await isLinkToRootFile(file, onlineRoots))) return; // its target is the photo
    if (stat && stat.isFile() && (await existence.exists(file))) {
      if (!(await stillWriting(file, stat, dirty))) present.push({ path: file, size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) });
      return;
    }
    const row = store.byPath(file);
    if (row) {
      goneRows.set(row.id, row);
      if (!changed.goneSince.has(row.id)) changed.goneSince.set(row.id, now);
    }
  };
  /** Puts a file still being written back for later; false when it can be taken. */
  const stillWriting = async (file: string, stat: Stats, dirty: Dirty): Promise<boolean> => {
    const seen = { now: Date.now(), mtimeMs: stat.mtimeMs, eventAt: dirty.at };
    let verdict = writeVerdict(seen, timings);
    if (verdict.kind === 'read-end-marker') verdict = writeVerdict({ ...seen, endMarker: await hasEndMarker(file, stat.size) }, timings);
    if (verdict.kind !== 'wait') return false;
    changed.dirty.set(file, { at: dirty.at, retryAt: verdict.until, held: { why: verdict.why, age: verdict.age } });
    return true;
  };
  for (let i = 0; i < due.length; i += 64) await Promise.all(due.slice(i, i + 64).map(look));

  // Rows held from earlier passes: still gone? (An atomic save brings the path back.)
  for (const [id] of changed.goneSince) {
    if (goneRows.has(id)) continue;
    const row = store.byId(id);
    if (!row || !onlineRoots.some((r) => isInside(row.path, r)) || offlineRoots.some((r) => isInside(row.path, r))) {
      changed.goneSince.delete(id);
      continue;
    }
    if (await existence.exists(row.path)) {
      changed.goneSince.delete(id);
      if (!changed.dirty.has(row.path)) changed.mark(row.path);
      continue;
    }
    goneRows.set(id, row);
  }

  // An unplugged drive is not a deletion: its root goes offline and its rows stay.
  const lost = await unreachableRoots([...goneRows.values()].map((r) => r.path), onlineRoots, offlineRoots, env.presenceOf);
  for (const { root, reason } of lost) {
    env.wentOffline(root, reason);
    offlineRoots.push(root);
    for (const [id, row] of goneRows) {
      if (isInside(row.path, root)) {
        goneRows.delete(id);
        changed.goneSince.delete(id);
      }
    }
  }
  if (present.length === 0 && goneRows.size === 0) return null;

  const t = Date.now();
  const plan = await reconcile(
    store,
    {
      present: dedupe(present),
      gone: [...goneRows.values()],
      rowAt: (file) => store.byPath(file),
      offlineRoots,
      keep: (row) => t - (changed.goneSince.get(row.id) ?? t) < timings.deleteGraceMs,
    },
    existence,
  );
  const paired = pairCrossDeviceMoves(plan.removals, (row) => env.copies.take(row, (id) => store.byId(id)));
  const moves = [...plan.moves, ...paired.moves];
  const applied = store.apply({
    moves,
    copies: plan.copies,
    touches: plan.touches,
    removals: [...paired.removals.map((r) => r.id), ...paired.replacedCopies],
    pending: plan.pending,
  });
  for (const m of moves) changed.goneSince.delete(m.id);
  for (const r of paired.removals) changed.goneSince.delete(r.id);
  for (const id of applied.removedIds) changed.goneSince.delete(id);
  const pending: { id: number }[] = [];
  for (const file of plan.pending) {
    const row = store.byPath(file.path);
    if (row && row.status === 'pending') pending.push(row);
  }
  return {
    moves,
    removals: paired.removals.map((r) => ({ id: r.id, path: r.path })),
    copies: plan.copies,
    copiedIds: applied.copiedIds,
    removedIds: applied.removedIds,
    pending,
  };
}

/** A symlink whose target lies in a root: one file is one photo, and the target is listed by itself (as the scanner does). */
async function isLinkToRootFile(file: string, roots: string[]): Promise<boolean> {
  try {
    if (!(await fs.lstat(file)).isSymbolicLink()) return false;
    const real = await fs.realpath(file);
    for (const root of roots) if (isInside(real, await fs.realpath(root).catch(() => root))) return true;
  } catch {
    // unreadable: handled as any other file
  }
  return false;
}

function dedupe(files: Observed[]): Observed[] {
  const seen = new Map<string, Observed>();
  for (const f of files) seen.set(f.path, f);
  return [...seen.values()];
}
