/**
 * Helpers for the watcher, roots and crash tests: small distinct photos made from the real
 * ferrari-100 set (different crops, so every file has its own content hash), event recording,
 * polling for a condition, and database checks shared by the fault tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { ferrariPhotos } from '../helpers/datasets.js';
import type { WatchEvent } from '../../main/core/watch/watcher.js';

const sources = new Map<number, Promise<{ data: Buffer; width: number; height: number }>>();

function source(index: number) {
  let s = sources.get(index);
  if (!s) {
    const photos = ferrariPhotos();
    s = sharp(photos[index % photos.length])
      .resize(320, 320, { fit: 'cover' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
      .then(({ data, info }) => ({ data, width: info.width, height: info.height }));
    sources.set(index, s);
  }
  return s;
}

/**
 * Writes `count` small JPEGs (about `size` px) into `dir`, named `<prefix>-NNNN.jpg`; number i
 * shows photo i % 100 cropped by variant (i / 100 + seed), so contents (and hashes) all differ.
 */
export async function writeSmallPhotos(dir: string, count: number, options: { prefix?: string; size?: number; seed?: number; start?: number } = {}): Promise<string[]> {
  const { prefix = 'photo', size = 160, seed = 0, start = 0 } = options;
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const one = async (i: number) => {
    const n = start + i;
    const { data, width, height } = await source(n % 100);
    const variant = Math.floor(n / 100) + seed;
    const crop = 200 + ((variant * 23) % 100);
    const left = (variant * 37) % (width - crop);
    const top = (variant * 53) % (height - crop);
    const file = path.join(dir, `${prefix}-${String(n).padStart(4, '0')}.jpg`);
    await sharp(data, { raw: { width, height, channels: 3 } })
      .extract({ left, top, width: crop, height: crop })
      .resize(size, size)
      .jpeg({ quality: 85 })
      .toFile(file);
    return file;
  };
  for (let i = 0; i < count; i += 16) {
    const batch = await Promise.all(Array.from({ length: Math.min(16, count - i) }, (_, j) => one(i + j)));
    files.push(...batch);
  }
  return files;
}

/** Polls until `check` returns a truthy value (returned), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000, intervalMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Every watch event, in order, with helpers to find them. */
export class EventLog {
  readonly events: WatchEvent[] = [];
  readonly listener = (event: WatchEvent) => {
    this.events.push(event);
  };

  mark(): number {
    return this.events.length;
  }

  since(mark: number): WatchEvent[] {
    return this.events.slice(mark);
  }

  about(file: string, mark = 0): WatchEvent[] {
    return this.since(mark).filter((e) => ('path' in e && e.path === file) || ('to' in e && e.to === file) || ('from' in e && e.from === file));
  }

  wait(what: string, match: (e: WatchEvent) => boolean, mark = 0, timeoutMs = 20_000): Promise<WatchEvent> {
    return waitFor(what, () => this.since(mark).find(match), timeoutMs);
  }
}

export interface DbAudit {
  integrity: string;
  indexed: number;
  pending: number;
  failed: number;
  vectors: number;
  orphanVectors: number;
  indexedWithoutVector: number;
  missingThumbnails: number;
  orphanThumbnails: number;
}

/** Checks a library database and its thumbnail cache from outside (read-only). */
export function auditLibrary(dbPath: string): DbAudit {
  const db = new Database(dbPath, { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const thumbnails = new Set((db.prepare('SELECT DISTINCT thumbnail FROM files WHERE thumbnail IS NOT NULL').all() as { thumbnail: string }[]).map((r) => r.thumbnail));
    const onDisk = listFiles(path.join(`${dbPath}-cache`, 'thumbnails'));
    return {
      integrity,
      indexed: one("SELECT COUNT(*) AS n FROM files WHERE status = 'indexed'"),
      pending: one("SELECT COUNT(*) AS n FROM files WHERE status = 'pending'"),
      failed: one("SELECT COUNT(*) AS n FROM files WHERE status = 'failed'"),
      vectors: one('SELECT COUNT(*) AS n FROM vectors'),
      orphanVectors: one('SELECT COUNT(*) AS n FROM vectors WHERE file_id NOT IN (SELECT id FROM files)'),
      indexedWithoutVector: one("SELECT COUNT(*) AS n FROM files WHERE status = 'indexed' AND id NOT IN (SELECT file_id FROM vectors)"),
      missingThumbnails: [...thumbnails].filter((t) => !fs.existsSync(t)).length,
      orphanThumbnails: onDisk.filter((f) => !thumbnails.has(f)).length,
    };
  } finally {
    db.close();
  }
}

/** path → { id, hash, vector bytes } of every indexed row (read-only). */
export function indexedRows(dbPath: string): Map<string, { id: number; hash: string; vector: string }> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db
      .prepare("SELECT f.id, f.path, f.content_hash AS hash, hex(v.vector) AS vector FROM files f JOIN vectors v ON v.file_id = f.id WHERE f.status = 'indexed'")
      .all() as { id: number; path: string; hash: string; vector: string }[];
    return new Map(rows.map((r) => [r.path, { id: r.id, hash: r.hash, vector: r.vector }]));
  } finally {
    db.close();
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(dir);
  return out;
}
