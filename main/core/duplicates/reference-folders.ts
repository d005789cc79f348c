/**
 * Reference folders (as in czkawka and dupeGuru): folders whose photos are always the keeper of
 * their duplicate group and are never trashed by a resolve, whoever asks (CLI, API, UI). Kept in
 * the library's `settings` table (key `referenceFolders`, a JSON list of absolute folder paths).
 */
import path from 'node:path';
import type { Db } from '../store/database.js';
import { SettingsRepository } from '../store/settings-repository.js';

const KEY = 'referenceFolders';

export function loadReferenceFolders(db: Db): string[] {
  const list = new SettingsRepository(db).getJson(KEY);
  return Array.isArray(list) ? normalise(list.filter((f): f is string => typeof f === 'string' && path.isAbsolute(f))) : [];
}

/** Replaces the list (folders are made absolute; duplicates dropped). */
export function saveReferenceFolders(db: Db, folders: string[]): string[] {
  const next = normalise(folders);
  new SettingsRepository(db).setJson(KEY, next);
  return next;
}

function normalise(folders: string[]): string[] {
  return [...new Set(folders.map((f) => path.resolve(f)))].sort();
}

/** The reference folder holding `file`, if any. */
export function referenceFolderOf(file: string, folders: string[]): string | null {
  return folders.find((f) => file.startsWith(f.endsWith(path.sep) ? f : f + path.sep)) ?? null;
}
