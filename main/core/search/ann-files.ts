/**
 * Where each model's saved HNSW index lives: a file in `<db>-cache/search/`, named in the
 * settings (`ann:<model>` → the space it indexes and the file). The setting is written only once
 * the file is complete, so a crash mid-build leaves the previous index (or none) in use; files no
 * setting names are swept by the next build. Beside each index, the snapshot of the rows it was
 * built from (search/space-snapshot.ts), which opening the space reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/database.js';
import { AnnIndex } from './ann-index.js';
import { buildAnnOffThread } from './fit-off-thread.js';
import type { SearchSpace } from './search-space.js';
import { readSpaceSnapshot, snapshotFileOf, type SpaceSnapshot } from './space-snapshot.js';

export interface SavedAnn {
  spaceId: string;
  file: string;
  /** Its size when saved (absent in settings written before it was kept): a file of another size is not opened. */
  bytes?: number;
}

export class AnnFiles {
  constructor(
    private readonly db: Db,
    private readonly dbPath: string,
    private readonly dir: string,
  ) {}

  /** The saved index of the space `spaceId`, if there is one. */
  savedFor(modelId: string, spaceId: string): SavedAnn | null {
    const saved = this.saved(modelId);
    return saved?.spaceId === spaceId ? saved : null;
  }

  /** The snapshot of the rows a saved index was built from, if it is there and sound. */
  snapshot(saved: SavedAnn, dims: number | null): SpaceSnapshot | null {
    return dims === null ? null : readSpaceSnapshot(snapshotFileOf(path.join(this.dir, saved.file)), dims);
  }

  /** Attaches a saved index to `space` (`ofSnapshot`: the space was opened from its snapshot). */
  attach(saved: SavedAnn, space: SearchSpace, ofSnapshot: boolean): void {
    const ann = AnnIndex.view(path.join(this.dir, saved.file), space.exact.dims, saved.bytes);
    if (ann) space.attachAnn(ann, ofSnapshot);
  }

  /** Builds (in a worker thread) and saves the index of `space`; returns it memory-mapped, or null if no worker could run. */
  async build(modelId: string, space: SearchSpace): Promise<AnnIndex | null> {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = `${space.spaceId}-${Date.now()}.usearch`;
    let bytes: number;
    try {
      await buildAnnOffThread(this.dbPath, modelId, space.spaceId, path.join(this.dir, file));
      bytes = fs.statSync(path.join(this.dir, file)).size;
    } catch {
      return null; // the exact scan keeps answering
    }
    const value = JSON.stringify({ spaceId: space.spaceId, file, bytes } satisfies SavedAnn);
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(`ann:${modelId}`, value);
    this.sweep();
    return AnnIndex.view(path.join(this.dir, file), space.exact.dims, bytes);
  }

  /** Forgets the indexes of models other than `modelId` (a finished model switch). */
  forgetOtherModels(modelId: string): void {
    this.db.prepare("DELETE FROM settings WHERE key LIKE 'ann:%' AND key != ?").run(`ann:${modelId}`);
  }

  private saved(modelId: string): SavedAnn | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(`ann:${modelId}`) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as SavedAnn) : null;
  }

  /** Removes the files no setting names (older spaces, or a crash mid-build); one still mapped elsewhere may refuse to go. */
  private sweep(): void {
    const rows = this.db.prepare("SELECT value FROM settings WHERE key LIKE 'ann:%'").all() as { value: string }[];
    const indexFiles = rows.map((r) => (JSON.parse(r.value) as SavedAnn).file);
    const inUse = new Set(indexFiles.flatMap((file) => [file, snapshotFileOf(file)]));
    for (const name of fs.readdirSync(this.dir)) {
      if (inUse.has(name)) continue;
      const file = path.join(this.dir, name);
      try {
        // Another process may be writing this one: only an abandoned one goes.
        if (name.endsWith('.partial') && Date.now() - fs.statSync(file).mtimeMs < 3_600_000) continue;
        fs.rmSync(file, { force: true });
      } catch {
        // mapped by another process (Windows): removed by a later build
      }
    }
  }
}
