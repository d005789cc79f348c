/**
 * The tables of migration 0002 (tags, captions, decisions, trash journal, FTS). A database that
 * reached a later user_version before 0002 existed (a development build) skipped it: apply it
 * then, once. Its SQL is idempotent (IF NOT EXISTS throughout).
 */
import type { Db } from '../store/database.js';
import { up } from '../store/migrations/0002-duplicates-tags-search.js';

const checked = new WeakSet<Db>();

export function ensureSearchSchema(db: Db): void {
  if (checked.has(db)) return;
  const present = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('files_fts', 'tags', 'trash_entries', 'not_duplicates', 'alignment_checks')").get() as { n: number };
  if (present.n < 5) db.transaction(() => db.exec(up))();
  checked.add(db);
}
