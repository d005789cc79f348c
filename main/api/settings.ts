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
import type { DuplicateSettings, Settings, SettingsPatch } from '../../preload/contract.js';
import type { Library } from '../core/library.js';
import { requestSchemas } from './schemas.js';

export type FileSettings = Omit<Settings, 'duplicates'>;

export const DEFAULT_SETTINGS: FileSettings = {
  engine: 'auto',
  clusters: { minSize: 2 },
  similarCount: 60,
  referenceFolders: [],
};

/** The core's side of the settings: the duplicate thresholds and the reference folders. */
export type SettingsCore = Pick<Library, 'duplicateThresholds' | 'setDuplicateThresholds' | 'referenceFolders' | 'setReferenceFolders'>;

export function settingsPathFor(dbPath: string): string {
  return `${path.resolve(dbPath)}-settings.json`;
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
    private readonly core: SettingsCore,
  ) {
    this.current = file ? load(file) : structuredClone(DEFAULT_SETTINGS);
    // Reference folders set by an earlier version lived in this file: they move to the core once.
    // (Not on a read-only library: they stay in this file for when it can be written.)
    try {
      if (this.current.referenceFolders.length && core.referenceFolders().length === 0) core.setReferenceFolders(this.current.referenceFolders);
    } catch {
      // read-only: the file's folders still apply (see get)
    }
  }

  get(): Settings {
    const own = structuredClone(this.current);
    return { ...own, referenceFolders: this.core.referenceFolders(), duplicates: thresholdsOf(this.core.duplicateThresholds()) };
  }

  update(patch: SettingsPatch): Settings {
    if (patch.duplicates) this.core.setDuplicateThresholds(definedOnly(patch.duplicates));
    if (patch.referenceFolders) this.core.setReferenceFolders(patch.referenceFolders.map((f) => path.resolve(f)));
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

/** The three thresholds a user sets (the core keeps many more). */
function thresholdsOf(t: DuplicateSettings): DuplicateSettings {
  return { near: t.near, similarCosine: t.similarCosine, similarSeconds: t.similarSeconds };
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
