/**
 * `likeness doctor`: the full check of a library database, for when something looks wrong. It
 * opens the file as it is (no migration, no refusal), runs SQLite's integrity check and tests
 * every stored vector; damaged vectors are queued for re-embedding (the index only; photos are
 * never touched). Structural damage cannot be mended in place: the report says how to rebuild.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { FilesRepository } from './files-repository.js';
import { fullCheck, isCorruption, RECOVERY } from './health.js';
import { privateCopyOf, whyReadOnly } from './read-only.js';

/** How far the check is: the structure first (one long SQLite pass), then every vector. */
export interface DoctorProgress {
  phase: 'structure' | 'vectors';
  done: number;
  /** Vectors to test (0 in the structure phase, whose length SQLite does not tell). */
  total: number;
}

export interface HealthReport {
  file: string;
  /** True when nothing is wrong. */
  ok: boolean;
  /** SQLite's findings about the file's structure (empty when sound). */
  structure: string[];
  vectors: {
    checked: number;
    /** Damaged vectors, each file now pending (re-embedded by the next `likeness index`). */
    damaged: { path: string; reason: string }[];
    /** False when the database could not be written (the files could not be queued). */
    queued: boolean;
  };
  /** What to do, when something is wrong. */
  advice: string | null;
  /** Why the database cannot be written, when it cannot (it was checked from a private copy). */
  readOnly?: string;
}

export function examineDatabase(file: string, onProgress: (p: DoctorProgress) => void = () => {}): HealthReport {
  if (!fs.existsSync(file)) throw new Error(`no library database at ${file}`);
  const report: HealthReport = { file, ok: true, structure: [], vectors: { checked: 0, damaged: [], queued: true }, advice: null };
  // SQLite cannot even read a WAL database in a folder it cannot write: check a copy instead.
  const readOnly = whyReadOnly(file);
  const copy = readOnly ? privateCopyOf(file) : null;
  if (readOnly) report.readOnly = readOnly;
  let db: Database.Database | null = null;
  try {
    db = new Database(copy?.file ?? file, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    onProgress({ phase: 'structure', done: 0, total: 0 });
    report.structure = fullCheck(db);
    if (report.structure.length === 0) checkVectors(db, report, onProgress, !copy);
  } catch (error) {
    if (!isCorruption(error)) throw error;
    report.structure.push((error as Error).message);
  } finally {
    db?.close();
    copy?.dispose();
  }
  report.ok = report.structure.length === 0 && report.vectors.damaged.length === 0;
  if (report.structure.length) report.advice = RECOVERY;
  else if (report.vectors.damaged.length) {
    report.advice = report.vectors.queued
      ? 'Run `likeness index <folder...>` to embed those photos again; your photos are untouched.'
      : 'The database cannot be written here, so those photos could not be queued again: open it where it can be, or rebuild the index. Your photos are untouched.';
  }
  return report;
}

function checkVectors(db: Database.Database, report: HealthReport, onProgress: (p: DoctorProgress) => void, canQueue: boolean): void {
  const files = new FilesRepository(db);
  const damaged: { id: number; reason: string }[] = [];
  const total = db.prepare('SELECT count(*) FROM vectors').pluck().get() as number;
  const tick = () => {
    if (++report.vectors.checked % 500 === 0) onProgress({ phase: 'vectors', done: report.vectors.checked, total });
  };
  for (const model of files.vectorModels()) {
    files.forEachVector(model, tick, (id, reason) => {
      tick();
      damaged.push({ id, reason });
    });
  }
  onProgress({ phase: 'vectors', done: report.vectors.checked, total });
  const paths = files.pathsOf(damaged.map((d) => d.id));
  report.vectors.damaged = damaged.map((d) => ({ path: paths.get(d.id) ?? `#${d.id}`, reason: d.reason }));
  try {
    if (!canQueue) throw new Error('read-only');
    files.markForReindex(damaged.map((d) => d.id));
  } catch {
    report.vectors.queued = damaged.length === 0;
  }
}
