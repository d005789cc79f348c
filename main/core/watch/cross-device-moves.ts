/**
 * A move across devices arrives as a copy, then a deletion (the file system cannot rename across
 * them). The copy is indexed as a new row reusing the original's vector; when the original then
 * goes, the original's row takes the copy's place, keeping its id, tags and decisions, and the
 * copy's row is dropped.
 */
import type { FileRow } from '../store/files-repository.js';
import type { Observed } from '../library/library-store.js';

/** How long a copy may still turn out to be the first half of a move across devices. */
export const RECENT_COPY_MS = 10 * 60_000;

/** The copies made in this session, by source row. */
export class RecentCopies {
  private readonly bySource = new Map<number, { id: number; at: number }[]>();

  constructor(
    private readonly windowMs = RECENT_COPY_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  remember(sourceId: number, copyId: number | undefined): void {
    if (copyId === undefined) return;
    const now = this.clock();
    const list = (this.bySource.get(sourceId) ?? []).filter((c) => now - c.at < this.windowMs);
    list.push({ id: copyId, at: now });
    this.bySource.set(sourceId, list);
    if (this.bySource.size > 10_000) {
      for (const [id, copies] of this.bySource) if (copies.every((c) => now - c.at >= this.windowMs)) this.bySource.delete(id);
    }
  }

  /** A recent copy of `source` still holding the same content, if any (forgotten once asked). */
  take(source: FileRow, rowOf: (id: number) => FileRow | undefined): FileRow | undefined {
    const copies = this.bySource.get(source.id);
    if (!copies) return undefined;
    this.bySource.delete(source.id);
    const now = this.clock();
    for (const c of copies) {
      if (now - c.at >= this.windowMs) continue;
      const row = rowOf(c.id);
      if (row && row.status === 'indexed' && row.content_hash === source.content_hash) return row;
    }
    return undefined;
  }
}

export interface PairedRemovals {
  /** Rows really gone. */
  removals: FileRow[];
  /** Rows whose file went to another device: each follows its copy's path. */
  moves: { id: number; from: string; to: Observed }[];
  /** The copies' rows, replaced by the rows that moved onto their paths. */
  replacedCopies: number[];
}

/** Splits the rows a pass found gone into real removals and the second halves of moves. */
export function pairCrossDeviceMoves(gone: FileRow[], takeCopy: (row: FileRow) => FileRow | undefined): PairedRemovals {
  const out: PairedRemovals = { removals: [], moves: [], replacedCopies: [] };
  for (const row of gone) {
    const copy = takeCopy(row);
    if (!copy) {
      out.removals.push(row);
      continue;
    }
    out.replacedCopies.push(copy.id);
    out.moves.push({ id: row.id, from: row.path, to: { path: copy.path, size: copy.size, mtimeMs: copy.mtime_ms } });
  }
  return out;
}
