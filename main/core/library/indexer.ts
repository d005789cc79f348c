/**
 * One indexing pass over some folders: scan, reconcile with the database (moves and renames keep
 * their rows, copies reuse a known decode, vanished files leave the index — never the disk), then
 * decode + embed the new and changed files in the worker pool, committing results in small
 * transactions so a crash loses at most the batch in flight. Roots that cannot be reached are
 * marked offline and their entries kept.
 */
import path from 'node:path';
import fs from 'node:fs/promises';
import type { FilesRepository, FileRow, IndexedResult } from '../store/files-repository.js';
import { isInside } from '../store/files-repository.js';
import type { WorkerPool } from '../embedding/pool.js';
import { oneEntryPerFile, scanFolder, type FoundFile } from './scanner.js';
import type { Failure, IndexProgress, IndexSummary } from '../types.js';
import { EmbedQueue, explainWriteError, type Committed } from './embed-queue.js';
import { LibraryStore, outermost } from './library-store.js';
import { reconcile, type ReconcilePlan } from './reconcile.js';
import { rootPresence } from './presence.js';

/** What the in-memory search index needs to stay in step: vectors added, rows forgotten. */
export interface VectorChange {
  id: number;
  vector: Float32Array;
  /** The model that made it (during a model switch, new-model vectors are not the served ones). */
  modelId?: string;
}

export interface IndexerDeps {
  repo: FilesRepository;
  store: LibraryStore;
  pool: () => Promise<WorkerPool>;
  /** The library's target model (vectors are made with it; see Library.targetModelId). */
  modelId: string;
  /** Folders the scanner must not enter (our own cache). */
  exclude: string[];
  /** Called with what changed in the vector set, so in-memory search stays in step. */
  onIndexed: (results: VectorChange[], removedIds: number[]) => void;
}

export interface IndexOptions {
  onProgress?: (progress: IndexProgress) => void;
  signal?: AbortSignal;
}

export interface ScanOutcome {
  plan: ReconcilePlan;
  scanned: number;
  removedIds: number[];
  copiedIds: number[];
  /** Folders walked (reachable outermost roots). */
  walked: string[];
  /** Roots found unreachable by this pass (newly or still), with why. */
  offline: { root: string; reason: string; newly: boolean }[];
  /** Roots that were offline and are back. */
  online: string[];
  problems: Failure[];
}

/**
 * Scans `folders` and brings the database in line with the disk, without embedding: afterwards
 * the new and changed files are 'pending' rows. `keep` may hold back deletions (the watcher's
 * grace period for the second half of a move).
 */
export async function scanAndReconcile(
  folders: string[],
  deps: Pick<IndexerDeps, 'repo' | 'store' | 'exclude'>,
  options: { keep?: (row: FileRow) => boolean } = {},
): Promise<ScanOutcome> {
  const { repo, store } = deps;
  const registered = store.rootRows();
  const offlineRoots = new Set(registered.filter((r) => r.offline_since !== null).map((r) => r.path));
  const outcome: ScanOutcome = {
    plan: undefined as unknown as ReconcilePlan,
    scanned: 0,
    removedIds: [],
    copiedIds: [],
    walked: [],
    offline: [],
    online: [],
    problems: [],
  };

  // Every registered root at or under the folders: is it reachable? (A network share mounted
  // inside another root can go away on its own.)
  const roots = outermost(folders.map((f) => path.resolve(f)));
  const checked = new Set<string>();
  for (const root of roots) {
    const inner = registered.filter((r) => r.path === root || isInside(r.path, root));
    if (!inner.some((r) => r.path === root)) inner.unshift({ path: root, device: null } as (typeof registered)[number]);
    for (const r of inner) {
      if (checked.has(r.path)) continue;
      checked.add(r.path);
      const presence = await rootPresence(r.path, r.device);
      const isRegistered = registered.some((x) => x.path === r.path);
      if (!presence.present) {
        if (!isRegistered) throw new Error(`folder not found: ${r.path} (${presence.reason})`);
        const newly = store.setOnline(r.path, false);
        offlineRoots.add(r.path);
        outcome.offline.push({ root: r.path, reason: presence.reason, newly });
      } else if (isRegistered) {
        if (store.setOnline(r.path, true, presence.device)) outcome.online.push(r.path);
        offlineRoots.delete(r.path);
      }
    }
  }

  const present: { path: string; size: number; mtimeMs: number }[] = [];
  const gone: FileRow[] = [];
  const known = new Map<string, FileRow>();
  const walked: { root: string; files: FoundFile[]; problems: Failure[]; rows: Map<string, FileRow> }[] = [];
  for (const root of roots) {
    if (offlineRoots.has(root) || [...offlineRoots].some((o) => isInside(root, o))) continue;
    const { files, problems } = await scanFolder(root, { exclude: deps.exclude });
    walked.push({ root, files, problems, rows: repo.filesUnder(root) });
  }
  // One file is one photo, whatever the number of paths to it (across roots too): the other paths
  // are not listed, and a row left at one of them leaves the index (the disk is not touched).
  const kept = new Set((await oneEntryPerFile(walked.flatMap((w) => w.files), (real) => repo.byPath(real) !== undefined)).map((f) => f.path));
  for (const { root, files, problems, rows } of walked) {
    outcome.walked.push(root);
    outcome.problems.push(...problems);
    for (const [p, row] of rows) known.set(p, row);
    const seen = new Set<string>();
    for (const file of files) {
      if (seen.has(file.path) || !kept.has(file.path)) continue; // reached twice, or another path to a listed file
      seen.add(file.path);
      present.push({ path: file.path, size: file.size, mtimeMs: file.mtimeMs });
      outcome.scanned++;
    }
    // Whatever is not found is gone — except under folders we failed to read (an unreadable
    // folder is not a deleted one) and under roots that are offline.
    const unreadable = problems.map((p) => p.path);
    const shielded = [...unreadable, ...offlineRoots];
    for (const [p, row] of rows) {
      if (seen.has(p)) continue;
      if (shielded.some((u) => p === u || isInside(p, u))) continue;
      gone.push(row);
    }
  }

  const plan = await reconcile(store, {
    present,
    gone,
    rowAt: (file) => known.get(file),
    offlineRoots: [...offlineRoots],
    keep: options.keep,
  });
  // A root removed while this pass was reading the disk gets nothing back (synchronous from here).
  const wasRoot = (file: string) => registered.some((r) => r.path === file || isInside(file, r.path));
  const nowRoots = store.rootRows().map((r) => r.path);
  const dropped = roots.filter((root) => wasRoot(root) && !nowRoots.some((r) => r === root || isInside(root, r)));
  if (dropped.length) {
    const keepPath = (file: string) => !dropped.some((d) => isInside(file, d));
    plan.pending = plan.pending.filter((f) => keepPath(f.path));
    plan.copies = plan.copies.filter((c) => keepPath(c.to.path));
    plan.moves = plan.moves.filter((m) => keepPath(m.to.path));
    outcome.walked = outcome.walked.filter((w) => !dropped.includes(w));
  }
  const applied = store.apply({
    moves: plan.moves,
    copies: plan.copies,
    touches: plan.touches,
    removals: plan.removals.map((r) => r.id),
    pending: plan.pending,
  });
  recordProblems(repo, outcome.problems);
  for (const root of outcome.walked) store.markScanned(root);
  outcome.plan = plan;
  outcome.removedIds = applied.removedIds;
  outcome.copiedIds = applied.copiedIds;
  return outcome;
}

/** What a scan found, as the counts of an IndexSummary (indexed/failed/seconds filled in later). */
export function scanSummary(outcome: ScanOutcome): IndexSummary {
  return {
    scanned: outcome.scanned,
    added: outcome.plan.added.length,
    updated: outcome.plan.updated.length,
    unchanged: outcome.plan.unchanged,
    removed: outcome.removedIds.length,
    indexed: 0,
    failed: 0,
    seconds: 0,
    moved: outcome.plan.moves.length,
    offline: outcome.offline.map((o) => o.root),
  };
}

/**
 * The steps after a scan, for a one-shot pass and the watcher alike: the search index learns of
 * the copies (known vectors reused) and the removals, rows embedded by another model become
 * pending, and what is to be embedded under the walked folders is listed: the pending rows, and —
 * after a model switch — the indexed rows lacking a target-model vector, which are re-embedded
 * without leaving the 'indexed' state, so the old vectors keep serving until all are done.
 */
export function toEmbedAfterScan(outcome: ScanOutcome, deps: IndexerDeps): { pending: FileRow[]; reembed: FileRow[] } {
  const copied = vectorsOf(deps.repo, outcome.copiedIds, deps.modelId);
  if (copied.length || outcome.removedIds.length) deps.onIndexed(copied, outcome.removedIds);
  deps.repo.markStaleAsPending(deps.modelId);
  return { pending: deps.store.pendingUnder(outcome.walked), reembed: deps.repo.lackingVectorUnder(deps.modelId, outcome.walked) };
}

export async function indexFolders(folders: string[], deps: IndexerDeps, options: IndexOptions = {}): Promise<IndexSummary> {
  const started = Date.now();
  const { repo } = deps;
  options.onProgress?.({ phase: 'scanning', done: 0, total: 0, failed: 0, imagesPerSecond: 0, etaSeconds: null });

  let outcome: ScanOutcome;
  try {
    outcome = await scanAndReconcile(folders, deps);
  } catch (error) {
    throw explainWriteError(error as Error);
  }
  const summary = scanSummary(outcome);
  const { pending, reembed } = toEmbedAfterScan(outcome, deps);
  // Pending rows the scan did not just add or update were left by an earlier pass: embedded now,
  // they are no longer "unchanged" (or a summary would count them twice: 916 + 1000 of 1000).
  const resumed = Math.max(0, pending.length - summary.added - summary.updated);
  if (resumed) {
    summary.resumed = resumed;
    summary.unchanged = Math.max(0, summary.unchanged - resumed);
  }
  // What the scan could not read is recorded as failed, as `status` counts it.
  const scanFailures = outcome.problems.length;
  if (pending.length + reembed.length > 0) {
    const queue = new EmbedQueue({
      repo,
      store: deps.store,
      pool: deps.pool,
      onCommitted: (results: IndexedResult[], _committed: Committed[]) => deps.onIndexed(results, []),
      // The pass reports 'finishing' and its caller 'done' once everything is swept.
      onProgress: options.onProgress && ((p) => p.phase !== 'done' && options.onProgress!(p)),
    });
    const onAbort = () => void queue.stop();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (!options.signal?.aborted) {
        queue.add(pending);
        queue.add(reembed, { reembed: true });
      }
      await queue.idle();
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    summary.indexed = queue.indexed;
    summary.failed = queue.failed;
    if (reembed.length) summary.reembedded = reembed.length;
  }
  summary.failed += scanFailures;
  const total = pending.length + reembed.length;
  options.onProgress?.({ phase: 'finishing', done: total, total, failed: summary.failed, imagesPerSecond: 0, etaSeconds: 0 });
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

export function vectorsOf(repo: FilesRepository, ids: number[], modelId: string): VectorChange[] {
  const out: VectorChange[] = [];
  for (const id of ids) {
    const vector = repo.vectorOf(id, modelId);
    if (vector) out.push({ id, vector, modelId });
  }
  return out;
}

function recordProblems(repo: FilesRepository, problems: Failure[]): void {
  if (problems.length === 0) return;
  repo.insertPending(problems.map((p) => ({ path: p.path, size: 0, mtimeMs: 0 })));
  const ids = problems.map((p) => repo.byPath(p.path)!.id);
  repo.saveResults([], problems.map((p, i) => ({ id: ids[i], reason: p.reason })));
}

/** Deletes thumbnails no file refers to any more (left by deletions or by a crash mid-batch). */
export async function sweepOrphanThumbnails(thumbnailDir: string, inUse: Set<string>): Promise<number> {
  let removed = 0;
  let shards: string[];
  try {
    shards = await fs.readdir(thumbnailDir);
  } catch {
    return 0;
  }
  for (const shard of shards) {
    const dir = path.join(thumbnailDir, shard);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      if (inUse.has(file)) continue;
      await fs.rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}
