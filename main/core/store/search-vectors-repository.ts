/**
 * All SQL of the persistent search space (table `search_vectors`, migration 0006): each photo's
 * search-space vector, stored under the whitening fit (`space_id`) that made it.
 */
import type { Db } from './database.js';

export interface StoredSearchVector {
  id: number;
  /** This version of the row (never reused): what the approximate index keys its entries by. */
  seq: number;
  /** float32 little-endian; may not be 4-byte aligned. */
  bytes: Buffer;
}

export class SearchVectorsRepository {
  constructor(private readonly db: Db) {}

  /** Every indexed file's stored vector in this space, streamed. */
  forEach(modelId: string, spaceId: string, visit: (row: StoredSearchVector) => void): void {
    const rows = this.db
      .prepare(
        `SELECT s.file_id AS id, s.seq AS seq, s.vector AS bytes FROM search_vectors s JOIN files f ON f.id = s.file_id
         WHERE s.model_id = ? AND s.space_id = ? AND f.status = 'indexed'`,
      )
      .iterate(modelId, spaceId) as Iterable<StoredSearchVector>;
    for (const row of rows) visit(row);
  }

  /**
   * The file id and seq of every indexed file's stored vector in this space, without the vectors
   * (an index walk), by ascending file id. Files not indexed (waiting, failed: few) are left out
   * by id rather than by a lookup per row.
   */
  rowsWithoutVectors(modelId: string, spaceId: string): { ids: number[]; seqs: number[] } {
    const notIndexed = new Set(this.db.prepare("SELECT id FROM files WHERE status < 'indexed' OR status > 'indexed'").pluck().all() as number[]);
    const ids: number[] = [];
    const seqs: number[] = [];
    const rows = this.db.prepare('SELECT file_id, seq FROM search_vectors WHERE model_id = ? AND space_id = ? ORDER BY file_id').raw().iterate(modelId, spaceId) as Iterable<[number, number]>;
    for (const [id, seq] of rows) {
      if (notIndexed.has(id)) continue;
      ids.push(id);
      seqs.push(seq);
    }
    return { ids, seqs };
  }

  /** The stored vectors with these seqs (those that still exist). */
  bySeqs(seqs: number[], visit: (row: StoredSearchVector) => void): void {
    const read = this.db.prepare('SELECT file_id AS id, seq, vector AS bytes FROM search_vectors WHERE seq = ?');
    for (const seq of seqs) {
      const row = read.get(seq) as StoredSearchVector | undefined;
      if (row) visit(row);
    }
  }

  /**
   * Up to `limit` raw vectors (ids above `after`, ascending) of indexed files that lack a vector in
   * this space. The vectors are walked in key order from `after` (CROSS JOIN keeps them the outer
   * loop), so filling a space reads each row once: led by the files' status index instead, every
   * batch walked all indexed files and sorted what it found — a pass per 256 photos, hours at 1M.
   * (`+v.model_id`: not by the model index, whose every row leads to a 7 KB vector row to read; the
   * primary key holds both columns, so only the vectors returned are read.)
   */
  missing(modelId: string, spaceId: string, after: number, limit: number): { id: number; vector: Buffer }[] {
    return this.db
      .prepare(
        `SELECT v.file_id AS id, v.vector AS vector FROM vectors v CROSS JOIN files f ON f.id = v.file_id
         WHERE +v.model_id = ? AND v.file_id > ? AND f.status = 'indexed'
           AND NOT EXISTS (SELECT 1 FROM search_vectors s WHERE s.model_id = v.model_id AND s.space_id = ? AND s.file_id = v.file_id)
         ORDER BY v.file_id LIMIT ?`,
      )
      .all(modelId, after, spaceId, limit) as { id: number; vector: Buffer }[];
  }

  /** Stores (or replaces) vectors in a space; returns each row's new seq, in order. */
  put(modelId: string, spaceId: string, rows: { id: number; vector: Float32Array }[]): number[] {
    const drop = this.db.prepare('DELETE FROM search_vectors WHERE model_id = ? AND space_id = ? AND file_id = ?');
    const insert = this.db.prepare('INSERT INTO search_vectors (model_id, space_id, file_id, vector) VALUES (?, ?, ?, ?)');
    return this.db.transaction(() =>
      rows.map((r) => {
        drop.run(modelId, spaceId, r.id);
        return Number(insert.run(modelId, spaceId, r.id, Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength)).lastInsertRowid);
      }),
    )();
  }

  /** Drops these files' vectors of one space (found damaged: they are computed again from the raw vectors). */
  drop(modelId: string, spaceId: string, ids: number[]): void {
    const drop = this.db.prepare('DELETE FROM search_vectors WHERE model_id = ? AND space_id = ? AND file_id = ?');
    this.db.transaction(() => {
      for (const id of ids) drop.run(modelId, spaceId, id);
    })();
  }

  /** Drops the spaces of this model other than `keep` (a refit's old space, or one a crash left half-built), and their neighbour lists. */
  dropOtherSpaces(modelId: string, keep: string): number {
    this.db.prepare('DELETE FROM neighbour_lists WHERE model_id = ? AND space_id != ?').run(modelId, keep);
    return this.db.prepare('DELETE FROM search_vectors WHERE model_id = ? AND space_id != ?').run(modelId, keep).changes;
  }

  /** Every stored neighbour list of this space: the photo, the seq it was computed for, neighbour file ids (int32) nearest first. */
  neighbourLists(modelId: string, spaceId: string): { id: number; seq: number; neighbours: Buffer }[] {
    return this.db
      .prepare('SELECT file_id AS id, seq, neighbours FROM neighbour_lists WHERE model_id = ? AND space_id = ?')
      .all(modelId, spaceId) as { id: number; seq: number; neighbours: Buffer }[];
  }

  saveNeighbourLists(modelId: string, spaceId: string, lists: { id: number; seq: number; neighbours: Int32Array }[]): void {
    const put = this.db.prepare(
      'INSERT INTO neighbour_lists (model_id, space_id, file_id, seq, neighbours) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT(model_id, space_id, file_id) DO UPDATE SET seq = excluded.seq, neighbours = excluded.neighbours',
    );
    this.db.transaction(() => {
      for (const l of lists) put.run(modelId, spaceId, l.id, l.seq, Buffer.from(l.neighbours.buffer, l.neighbours.byteOffset, l.neighbours.byteLength));
    })();
  }

  count(modelId: string, spaceId: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM search_vectors WHERE model_id = ? AND space_id = ?').get(modelId, spaceId) as { n: number }).n;
  }
}
