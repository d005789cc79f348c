/**
 * One indexing pass over some folders: scan, diff against the database, then decode + embed the
 * new and changed files in the worker pool, committing results in small transactions so a crash
 * loses at most the batch in flight. Files that vanished leave the index (never the disk).
 */
import path from 'node:path';
import fs from 'node:fs/promises';
import type { FilesRepository, FileRow, IndexedResult } from '../store/files-repository.js';
import { isInside } from '../store/files-repository.js';
import type { WorkerPool } from '../embedding/pool.js';
import { scanFolder } from './scanner.js';
import type { Failure, IndexProgress, IndexSummary } from '../types.js';
import { ProgressMeter } from './progress.js';

export interface IndexerDeps {
  repo: FilesRepository;
  pool: () => Promise<WorkerPool>;
  modelId: string;
  /** Folders the scanner must not enter (our own cache). */
  exclude: string[];
  /** Called with what changed in the vector set, so in-memory search stays in step. */
  onIndexed: (results: IndexedResult[], removedIds: number[]) => void;
}

export interface IndexOptions {
  onProgress?: (progress: IndexProgress) => void;
  signal?: AbortSignal;
}

/** Images per worker message: small, since TF.js gains nothing from batching (measured). */
const ITEMS_PER_TASK = 4;
/** Results per database transaction. */
const COMMIT_EVERY = 32;

export async function indexFolders(folders: string[], deps: IndexerDeps, options: IndexOptions = {}): Promise<IndexSummary> {
  const started = Date.now();
  const { repo } = deps;
  const summary: IndexSummary = { scanned: 0, added: 0, updated: 0, unchanged: 0, removed: 0, indexed: 0, failed: 0, seconds: 0 };
  options.onProgress?.({ phase: 'scanning', done: 0, total: 0, failed: 0, imagesPerSecond: 0, etaSeconds: null });

  const removedIds: number[] = [];
  for (const folder of folders) {
    const { files, problems } = await scanFolder(folder, { exclude: deps.exclude });
    summary.scanned += files.length;
    const known = repo.filesUnder(folder);
    const toQueue: { path: string; size: number; mtimeMs: number }[] = [];
    for (const file of files) {
      const row = known.get(file.path);
      known.delete(file.path);
      if (!row) {
        summary.added++;
        toQueue.push(file);
      } else if (row.size !== file.size || row.mtime_ms !== file.mtimeMs) {
        summary.updated++;
        toQueue.push(file);
      } else {
        summary.unchanged++;
      }
    }
    repo.insertPending(toQueue);
    // Whatever is left in `known` was not found. Keep entries under folders we failed to read:
    // an unreadable folder is not a deleted one.
    const unreadable = problems.map((p) => p.path);
    const vanished = [...known.keys()].filter((p) => !unreadable.some((u) => p === u || isInside(p, u)));
    const ids = repo.remove(vanished);
    removedIds.push(...ids);
    summary.removed += ids.length;
    recordProblems(repo, problems);
  }
  repo.markStaleAsPending(deps.modelId);

  const pending = repo.pendingUnder(folders);
  if (pending.length > 0) {
    const pool = await deps.pool();
    const counts = await embedPending(pending, pool, deps, options);
    summary.indexed = counts.indexed;
    summary.failed = counts.failed;
  }
  if (removedIds.length) deps.onIndexed([], removedIds);
  options.onProgress?.({ phase: 'finishing', done: pending.length, total: pending.length, failed: summary.failed, imagesPerSecond: 0, etaSeconds: 0 });
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

function recordProblems(repo: FilesRepository, problems: Failure[]): void {
  if (problems.length === 0) return;
  repo.insertPending(problems.map((p) => ({ path: p.path, size: 0, mtimeMs: 0 })));
  const ids = problems.map((p) => repo.byPath(p.path)!.id);
  repo.saveResults([], problems.map((p, i) => ({ id: ids[i], reason: p.reason })));
}

async function embedPending(
  pending: FileRow[],
  pool: WorkerPool,
  deps: IndexerDeps,
  options: IndexOptions,
): Promise<{ indexed: number; failed: number }> {
  const meter = new ProgressMeter(pending.length);
  let indexedBuffer: IndexedResult[] = [];
  let failedBuffer: { id: number; reason: string }[] = [];
  let indexed = 0;
  let failed = 0;

  const flush = () => {
    if (indexedBuffer.length === 0 && failedBuffer.length === 0) return;
    deps.repo.saveResults(indexedBuffer, failedBuffer);
    deps.onIndexed(indexedBuffer, []);
    indexedBuffer = [];
    failedBuffer = [];
  };

  const tasks: FileRow[][] = [];
  for (let i = 0; i < pending.length; i += ITEMS_PER_TASK) tasks.push(pending.slice(i, i + ITEMS_PER_TASK));

  // Keep every worker busy with one task queued behind it, and no more (bounded memory).
  const inFlight = new Set<Promise<void>>();
  const limit = pool.size * 2;
  for (const task of tasks) {
    if (options.signal?.aborted) break;
    const run: Promise<void> = (async () => {
      const results = await pool.process(task.map((row) => ({ path: row.path, thumbnail: true })));
      results.forEach((result, i) => {
        const row = task[i];
        if (result.ok) {
          indexedBuffer.push({ id: row.id, facts: result.facts, vector: result.vector, modelId: pool.info.modelId, thumbnail: result.thumbnail });
          indexed++;
        } else {
          failedBuffer.push({ id: row.id, reason: result.reason });
          failed++;
        }
      });
      if (indexedBuffer.length + failedBuffer.length >= COMMIT_EVERY) flush();
      meter.advance(task.length);
      options.onProgress?.({ phase: 'indexing', ...meter.snapshot(), failed, current: task[task.length - 1].path });
    })();
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
    if (inFlight.size >= limit) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  flush();
  return { indexed, failed };
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
