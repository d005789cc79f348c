/**
 * User settings of one library, kept as a small JSON file beside its database
 * (`library.db` → `library.db-settings.json`). Unknown or out-of-range values on disk fall back to
 * the defaults, so a hand-edited or older file never stops the app from starting.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Settings, SettingsPatch } from '../../preload/contract.js';
import { requestSchemas } from './schemas.js';

export const DEFAULT_SETTINGS: Settings = {
  engine: 'auto',
  duplicates: { similarThreshold: 0.92, hashDistance: 6 },
  clusters: { count: 24, minSize: 2 },
  similarCount: 60,
};

export function settingsPathFor(dbPath: string): string {
  return `${path.resolve(dbPath)}-settings.json`;
}

export function mergeSettings(base: Settings, patch: SettingsPatch): Settings {
  return {
    engine: patch.engine ?? base.engine,
    duplicates: { ...base.duplicates, ...definedOnly(patch.duplicates) },
    clusters: { ...base.clusters, ...definedOnly(patch.clusters) },
    similarCount: patch.similarCount ?? base.similarCount,
  };
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class SettingsStore {
  private current: Settings;

  constructor(private readonly file: string | null) {
    this.current = file ? load(file) : structuredClone(DEFAULT_SETTINGS);
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  update(patch: SettingsPatch): Settings {
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

function load(file: string): Settings {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return structuredClone(DEFAULT_SETTINGS);
  }
  // The file holds a full Settings object; validating it as a patch drops nothing valid.
  const parsed = requestSchemas.updateSettings.safeParse(raw);
  return parsed.success ? mergeSettings(DEFAULT_SETTINGS, parsed.data) : structuredClone(DEFAULT_SETTINGS);
}
