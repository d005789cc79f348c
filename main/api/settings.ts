/**
 * User settings of one library. The front's own preferences (engine, result counts, smallest
 * cluster) live in a small JSON file beside the database (`library.db` → `library.db-settings.json`);
 * the duplicate thresholds and the reference folders belong to the core, which keeps them in the
 * database, and are read and written through it (a reference folder is a rule of the core: its
 * photos are kept by every resolve, CLI or API). Unknown or out-of-range values on disk fall back to the defaults, so a
 * hand-edited or older file never stops the app from starting.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuplicateSettings, EngineChoice, Settings, SettingsPatch } from '../../preload/contract.js';
import { requestSchemas } from './schemas.js';

export type FileSettings = Omit<Settings, 'duplicates'>;

export const DEFAULT_SETTINGS: FileSettings = {
  engine: 'auto',
  clusters: { minSize: 2 },
  similarCount: 60,
  referenceFolders: [],
};

/** Where the duplicate thresholds are kept (the core), or null when this build has none. */
export interface ThresholdsPort {
  get(): DuplicateSettings;
  set(patch: Partial<DuplicateSettings>): DuplicateSettings;
}

/** Where the reference folders are kept (the core), or null when this build has none. */
export interface ReferencesPort {
  get(): string[];
  set(folders: string[]): string[];
}

export function settingsPathFor(dbPath: string): string {
  return `${path.resolve(dbPath)}-settings.json`;
}

/**
 * The engine a launch (serve, the desktop app's service) runs: the one asked for on the command
 * line, else the one saved in the settings ("applies at the next launch"), else auto.
 */
export function launchEngine(asked: EngineChoice | undefined, dbPath: string): EngineChoice {
  return asked ?? new SettingsStore(settingsPathFor(dbPath)).get().engine;
}

export function mergeSettings(base: FileSettings, patch: SettingsPatch): FileSettings {
  return {
    engine: patch.engine ?? base.engine,
    clusters: { ...base.clusters, ...definedOnly(patch.clusters) },
    similarCount: patch.similarCount ?? base.similarCount,
    referenceFolders: [...new Set((patch.referenceFolders ?? base.referenceFolders ?? []).map((f) => path.resolve(f)))],
  };
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class SettingsStore {
  private current: FileSettings;

  constructor(
    private readonly file: string | null,
    private readonly thresholds: ThresholdsPort | null = null,
    private readonly references: ReferencesPort | null = null,
  ) {
    this.current = file ? load(file) : structuredClone(DEFAULT_SETTINGS);
    // Reference folders set by an earlier version lived in this file: they move to the core once.
    // (Not on a read-only library: they stay in this file for when it can be written.)
    try {
      if (references && this.current.referenceFolders.length && references.get().length === 0) references.set(this.current.referenceFolders);
    } catch {
      // read-only: the file's folders still apply (see get)
    }
  }

  get(): Settings {
    const own = structuredClone(this.current);
    return { ...own, referenceFolders: this.references?.get() ?? own.referenceFolders, duplicates: this.thresholds?.get() ?? null };
  }

  update(patch: SettingsPatch): Settings {
    if (patch.duplicates && this.thresholds) this.thresholds.set(definedOnly(patch.duplicates));
    if (patch.referenceFolders && this.references) this.references.set(patch.referenceFolders.map((f) => path.resolve(f)));
    this.current = mergeSettings(this.current, patch);
    if (this.file) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(this.current, null, 2) + '\n');
      fs.renameSync(tmp, this.file);
    }
    return this.get();
  }
}

function load(file: string): FileSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return structuredClone(DEFAULT_SETTINGS);
  }
  // The file holds a full settings object; validated as a patch, anything unknown is refused.
  const parsed = requestSchemas.updateSettings.safeParse(raw);
  return parsed.success ? mergeSettings(DEFAULT_SETTINGS, parsed.data) : structuredClone(DEFAULT_SETTINGS);
}
