/**
 * "Not duplicates" decisions, remembered per pair of contents (SHA-1 of the file bytes), so a pair
 * once dismissed is never proposed again, whatever the files are called or wherever they move.
 */
import type { Db } from '../store/database.js';

export class DecisionsRepository {
  constructor(private readonly db: Db) {}

  /** Records every pair among `hashes` as not duplicates. Returns how many pairs were new. */
  markNotDuplicates(hashes: string[]): number {
    const unique = [...new Set(hashes)].sort();
    const insert = this.db.prepare('INSERT OR IGNORE INTO not_duplicates (hash_a, hash_b, decided_at) VALUES (?, ?, ?)');
    let added = 0;
    const now = Date.now();
    this.db.transaction(() => {
      // The same content twice (byte-identical copies the user wants to keep apart) is (h, h).
      const seen = new Set<string>();
      for (const h of hashes) {
        if (seen.has(h)) added += insert.run(h, h, now).changes;
        seen.add(h);
      }
      for (let i = 0; i < unique.length; i++) {
        for (let j = i + 1; j < unique.length; j++) added += insert.run(unique[i], unique[j], now).changes;
      }
    })();
    return added;
  }

  /** Forgets the decisions among `hashes`. */
  forget(hashes: string[]): number {
    const unique = [...new Set(hashes)].sort();
    const remove = this.db.prepare('DELETE FROM not_duplicates WHERE hash_a = ? AND hash_b = ?');
    let removed = 0;
    this.db.transaction(() => {
      for (let i = 0; i < unique.length; i++) for (let j = i; j < unique.length; j++) removed += remove.run(unique[i], unique[j]).changes;
    })();
    return removed;
  }

  /** The contents judged not duplicates of `hash` (itself included when two copies of it were kept apart). */
  partnersOf(hash: string): string[] {
    const rows = this.db.prepare('SELECT hash_a, hash_b FROM not_duplicates WHERE hash_a = ? OR hash_b = ?').all(hash, hash) as { hash_a: string; hash_b: string }[];
    return rows.map((r) => (r.hash_a === hash ? r.hash_b : r.hash_a));
  }

  /** Every decision, as a set of "a|b" keys (a ≤ b) for constant-time lookups. */
  all(): Set<string> {
    const rows = this.db.prepare('SELECT hash_a, hash_b FROM not_duplicates').all() as { hash_a: string; hash_b: string }[];
    return new Set(rows.map((r) => pairKey(r.hash_a, r.hash_b)));
  }
}

export function pairKey(a: string, b: string): string {
  return a <= b ? `${a}|${b}` : `${b}|${a}`;
}
