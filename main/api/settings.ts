/**
 * User settings of one library, all kept in its database (the `settings` table,
 * core/store/settings-repository.ts): the fronts' own preferences (engine, result counts, smallest
 * cluster) under one key, the duplicate thresholds and the reference folders through the core,
 * which owns them (a reference folder is a rule of the core: its photos are kept by every resolve,
 * CLI or API). Unknown or out-of-range stored values fall back to the defaults, so a hand-edited or
 * older library never stops the app from starting.
 *
 * Earlier versions kept the preferences in a JSON file beside the database
 * (`library.db` → `library.db-settings.json`). The first open of such a library imports the file
 * into the database and renames it to `….json.imported` (our own file: kept, not deleted, so a
 * user can still read what it said). A read-only library cannot take the import: it reads the
 * file as it is and leaves it for when it can be written.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuplicateSettings, EngineChoice, Settings, SettingsPatch } from '../../preload/contract.js';
import type { Library } from '../core/library.js';
import { requestSchemas } from './schemas.js';

/** The fronts' own preferences: what the settings hold besides the core's. */
export type Preferences = Pick<Settings, 'engine' | 'clusters' | 'similarCount'>;

export const DEFAULT_PREFERENCES: Preferences = {
  engine: 'auto',
  clusters: { minSize: 2 },
  similarCount: 60,
};

/** The key of the preferences in the settings table. */
export const PREFERENCES_KEY = 'preferences';

/** The core's side of the settings. */
export type SettingsCore = Pick<
  Library,
  'settings' | 'readOnly' | 'duplicateThresholds' | 'setDuplicateThresholds' | 'referenceFolders' | 'setReferenceFolders'
>;

export function settingsPathFor(dbPath: string): string {
  return `${path.resolve(dbPath)}-settings.json`;
}

/**
 * The engine a launch (serve, the desktop app's service) runs: the one asked for on the command
 * line, else the one saved in the settings ("applies at the next launch"), else auto.
 */
export function launchEngine(asked: EngineChoice | undefined, core: SettingsCore, legacyFile: string | null): EngineChoice {
  return asked ?? new SettingsStore(legacyFile, core).get().engine;
}

export function mergePreferences(base: Preferences, patch: SettingsPatch): Preferences {
  return {
    engine: patch.engine ?? base.engine,
    clusters: { ...base.clusters, ...definedOnly(patch.clusters) },
    similarCount: patch.similarCount ?? base.similarCount,
  };
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class SettingsStore {
  /** A read-only library's old settings file, read in place of the preferences it could not import. */
  private readonly unimported: Preferences | null;

  constructor(
    /** The settings file of earlier versions, imported once (null: none to look for). */
    legacyFile: string | null,
    private readonly core: SettingsCore,
  ) {
    this.unimported = legacyFile ? this.importOnce(legacyFile) : null;
  }

  get(): Settings {
    return {
      ...this.preferences(),
      referenceFolders: this.core.referenceFolders(),
      duplicates: thresholdsOf(this.core.duplicateThresholds()),
    };
  }

  update(patch: SettingsPatch): Settings {
    if (patch.duplicates) this.core.setDuplicateThresholds(definedOnly(patch.duplicates));
    if (patch.referenceFolders) this.core.setReferenceFolders(patch.referenceFolders.map((f) => path.resolve(f)));
    this.core.settings().setJson(PREFERENCES_KEY, mergePreferences(this.preferences(), patch));
    return this.get();
  }

  private preferences(): Preferences {
    const stored = this.core.settings().getJson(PREFERENCES_KEY);
    return stored === undefined ? structuredClone(this.unimported ?? DEFAULT_PREFERENCES) : sanitised(stored);
  }

  /**
   * Moves an old settings file into the database: its preferences unless the database has some,
   * its reference folders unless the core has some. Returns the file's preferences when the
   * library is read-only (nothing imported), else null.
   */
  private importOnce(file: string): Preferences | null {
    const old = readLegacyFile(file);
    if (!old) return null;
    if (this.core.readOnly) return sanitised(old);
    const settings = this.core.settings();
    if (settings.getJson(PREFERENCES_KEY) === undefined) settings.setJson(PREFERENCES_KEY, sanitised(old));
    const folders = old.referenceFolders ?? [];
    if (folders.length && this.core.referenceFolders().length === 0) this.core.setReferenceFolders(folders);
    try {
      fs.renameSync(file, `${file}.imported`);
    } catch {
      // Left in place: the database holds its settings now, so they are not imported again.
    }
    return null;
  }
}

/** The three thresholds a user sets (the core keeps many more). */
function thresholdsOf(t: DuplicateSettings): DuplicateSettings {
  return { near: t.near, similarCosine: t.similarCosine, similarSeconds: t.similarSeconds };
}

/** Stored preferences, validated as a settings patch (anything unknown refused) over the defaults. */
function sanitised(raw: unknown): Preferences {
  const parsed = requestSchemas.updateSettings.safeParse(raw);
  return mergePreferences(DEFAULT_PREFERENCES, parsed.success ? parsed.data : {});
}

/** The old file's settings (a full settings object, validated as a patch), or null when there is none or it is unreadable. */
function readLegacyFile(file: string): SettingsPatch | null {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const parsed = requestSchemas.updateSettings.safeParse(raw);
  return parsed.success ? parsed.data : {};
}
