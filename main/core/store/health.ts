/**
 * Is the library database sound? A structural check on open (cheap: every table but the vectors),
 * a full check for `likeness doctor`, and the test every stored vector passes before it is used
 * (damaged bytes inside a blob pass every SQLite check and would come out as NaN scores).
 *
 * Measured on a 100k-photo library (858 MB, 1792-d vectors), 2 cores: a full `quick_check`
 * takes 1.8 s with the file in the page cache and 23 s from a cold disk — too slow for every
 * open; `quick_check` of every table except `vectors` takes 0.17–0.24 s (without the search space's
 * tables, which came later).
 */
import type { Db } from './database.js';

/** What the user can do about a damaged index, in one place. */
export const RECOVERY =
  'Your photos are untouched: only the index is damaged. To rebuild it, move the database file aside ' +
  '(keep it until the new index is complete) and run `likeness index <folder...>` again; tags and captions ' +
  'kept in the damaged file may be lost. `likeness doctor` shows what is wrong.';

export class DatabaseCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`the library database ${file} is damaged (${problems.slice(0, 3).join('; ')}). ${RECOVERY}`);
  }
}

/** SQLite's ways of saying the file is not a sound database. */
export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

/**
 * Tables the open check skips: the raw vectors, and what is derived from them and checked as it is
 * read (each search vector passes `vectorProblem`, neighbour lists name photos that are looked up).
 * At 100k photos the two derived ones are 150 MB, and checking them was 1.7 of the 3.4 s a new
 * process took to its first `similar` (`node --cpu-prof`, bench/scale.ts).
 */
const UNCHECKED_ON_OPEN = ['vectors', 'search_vectors', 'neighbour_lists'];

/** The structural problems `PRAGMA quick_check` finds in every table but the vectors and what derives from them (empty when sound). */
export function quickCheck(db: Db): string[] {
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0").pluck().all() as string[]).filter(
    (name) => !UNCHECKED_ON_OPEN.includes(name),
  );
  const problems: string[] = [];
  for (const table of tables) {
    const rows = db.pragma(`quick_check("${table.replace(/"/g, '""')}")`, { simple: false }) as { quick_check: string }[];
    for (const row of rows) if (row.quick_check !== 'ok') problems.push(row.quick_check);
  }
  return problems;
}

/** Every structural problem of the whole file (`PRAGMA integrity_check` and foreign keys). */
export function fullCheck(db: Db): string[] {
  const rows = db.pragma('integrity_check(100)') as { integrity_check: string }[];
  const problems = rows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
  const orphans = db.pragma('foreign_key_check') as { table: string; parent: string }[];
  if (orphans.length) problems.push(`${orphans.length} rows refer to rows that are gone (first: ${orphans[0].table} → ${orphans[0].parent})`);
  return problems;
}

/** Why a stored vector cannot be used (null when it can): the wrong length, or numbers that are not. */
export function vectorProblem(vector: Float32Array, dims: number | null): string | null {
  if (vector.length === 0 || (dims !== null && vector.length !== dims)) return `the stored vector has ${vector.length} numbers instead of ${dims ?? 'some'}`;
  for (let i = 0; i < vector.length; i++) if (!Number.isFinite(vector[i])) return 'the stored vector holds numbers that are not finite';
  return null;
}

/** Why a file must be embedded again when its stored vector is damaged (shown by `status`). */
export const DAMAGED_VECTOR = 'its stored vector was damaged: it is embedded again by the next `likeness index`';
