/**
 * The library's settings: one `settings` table of key → text (migration 0001), where every setting
 * of a library lives, the core's (duplicate thresholds, reference folders, model, faces, search
 * indexes) and the fronts' preferences (engine, result counts, smallest cluster; main/api/settings.ts).
 */
import type { Db } from './database.js';

export class SettingsRepository {
  constructor(private readonly db: Db) {}

  /** The stored text of a setting, or undefined when it was never set. */
  get(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  set(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** A setting kept as JSON; undefined when unset or unreadable (a hand-edited database). */
  getJson(key: string): unknown {
    const text = this.get(key);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value));
  }
}
