/**
 * The persistent search space: each indexed photo's search-space vector, stored in the database
 * under the whitening fit that made it (search_vectors, migration 0006), so that opening a library
 * reads 1 KB per photo instead of recomputing 256 dot products of 1792 dimensions per photo.
 *
 * What a full rebuild would give is what opening gives, whatever a crash interrupted: triggers drop
 * a photo's search vectors in the transaction that rewrites or removes its raw vector, and opening
 * computes (and stores) the vectors the space lacks.
 */
import type { Db } from '../store/database.js';
import { SearchVectorsRepository, type StoredSearchVector } from '../store/search-vectors-repository.js';
import { FilesRepository } from '../store/files-repository.js';
import { AnnIndex } from './ann-index.js';
import { VectorIndex, type Neighbour } from './vector-index.js';
import { toSearchSpaceMany, type Whitening } from './whitening.js';
import { vectorProblem } from '../store/health.js';
import { floatView, toFloat32 } from '../store/float-blobs.js';
import type { SpaceSnapshot } from './space-snapshot.js';

/** The space of a library too small to fit a whitening: L2-normalised raw vectors. */
export const UNWHITENED_SPACE = 'l2';

export function spaceIdOf(whitening: Whitening | null): string {
  return whitening?.spaceId ?? UNWHITENED_SPACE;
}

/** Rows per write transaction while filling a space (each holds the write lock ~0.1 s). */
const BATCH = 256;

/**
 * A search space in memory: the exact index (every vector, float32) and, at scale, an HNSW index
 * beside it. A query asks the HNSW index for candidates, adds the photos it lacks (indexed since
 * it was built: `pending`), and ranks them all by exact dot product, so `k` and `exclude` keep
 * their meaning and every score is exact. Below ANN_FROM photos, or with no HNSW index yet, the
 * exact scan answers.
 */
export class SearchSpace {
  private readonly seqOf = new Map<number, number>();
  private readonly idOfSeq = new Map<number, number>();
  private ann: AnnIndex | null = null;
  /** Photos whose current vector the HNSW index does not hold. */
  private readonly pending = new Set<number>();
  /**
   * Opened from the snapshot saved with an HNSW index (trackRows), until that index is attached:
   * the photos the snapshot did not give, which are all that index lacks. Null otherwise.
   */
  private notInSnapshot: Set<number> | null = null;

  constructor(
    readonly spaceId: string,
    readonly exact: VectorIndex,
  ) {}

  get size(): number {
    return this.exact.size;
  }

  /** The seq of `id`'s stored vector (which version of it this space holds). */
  seq(id: number): number | undefined {
    return this.seqOf.get(id);
  }

  /** How many photos the HNSW index lacks (searched exactly beside it). */
  get pendingCount(): number {
    return this.pending.size;
  }

  get hasAnn(): boolean {
    return this.ann !== null;
  }

  /** The share of photos the HNSW index holds (0 without one). */
  annCoverage(): number {
    return this.ann && this.size > 0 ? 1 - this.pending.size / this.size : 0;
  }

  set(id: number, seq: number, vector: Float32Array): void {
    this.exact.set(id, vector);
    this.track(id, seq);
  }

  setBytes(id: number, seq: number, bytes: Uint8Array): void {
    this.exact.setBytes(id, bytes);
    this.track(id, seq);
  }

  delete(id: number): void {
    this.exact.delete(id);
    const seq = this.seqOf.get(id);
    if (seq !== undefined) this.idOfSeq.delete(seq);
    this.seqOf.delete(id);
    this.pending.delete(id);
    this.notInSnapshot?.delete(id);
  }

  /**
   * Uses `ann` for queries from now on; what it lacks is searched exactly beside it. For the index
   * whose snapshot this space was opened from (`ofSnapshot`), what it lacks is known: the photos
   * the snapshot did not give. Any other index is asked about every photo (0.4 s at 1M).
   */
  attachAnn(ann: AnnIndex, ofSnapshot = false): void {
    this.pending.clear();
    if (ofSnapshot && this.notInSnapshot) {
      for (const id of this.notInSnapshot) this.pending.add(id);
    } else {
      const ids = [...this.seqOf.keys()];
      const held = ann.contains(BigUint64Array.from(ids, (id) => BigInt(this.seqOf.get(id)!)));
      ids.forEach((id, i) => {
        if (!held[i]) this.pending.add(id);
      });
    }
    this.notInSnapshot = null;
    this.ann = ann;
  }

  /**
   * The k photos most similar to `query` (a unit search-space vector), best first, `exclude`
   * skipped. At scale, the best of `pool` HNSW candidates by exact score: 2k by default
   * (ANN_CANDIDATES_PER_RESULT), which finds an exact search's k (recall@50 ≥ 0.99 measured).
   */
  search(query: Float32Array, k: number, exclude?: ReadonlySet<number>, pool = Math.ceil(k * ANN_CANDIDATES_PER_RESULT)): Neighbour[] {
    if (!this.ann) return this.exact.search(query, k, exclude);
    const want = Math.min(this.idOfSeq.size + this.pending.size, Math.max(k, pool) + (exclude?.size ?? 0));
    const candidates = new Set<number>();
    for (const key of this.ann.search(query, want)) {
      const id = this.idOfSeq.get(Number(key));
      if (id !== undefined && !exclude?.has(id)) candidates.add(id);
    }
    for (const id of this.pending) if (!exclude?.has(id)) candidates.add(id);
    const scored: Neighbour[] = [];
    for (const id of candidates) scored.push({ id, score: this.exact.dotWith(id, query)! });
    return scored.sort((a, b) => b.score - a.score).slice(0, k);
  }

  /** For each row of `matrix`, about its `want` nearest photos by the HNSW index (null without one). */
  annCandidates(matrix: Float32Array, want: number, threads: number): number[][] | null {
    if (!this.ann) return null;
    const dims = this.exact.dims;
    const n = Math.floor(matrix.length / dims);
    const { keys, counts } = this.ann.searchMany(matrix, want, threads);
    const out: number[][] = [];
    for (let row = 0; row < n; row++) {
      const ids: number[] = [];
      for (let j = 0; j < Number(counts[row]); j++) {
        const id = this.idOfSeq.get(Number(keys[row * want + j]));
        if (id !== undefined) ids.push(id);
      }
      for (const id of this.pending) ids.push(id);
      out.push(ids);
    }
    return out;
  }

  /** The seqs of the rows the exact index was given whole from a snapshot (VectorIndex.adopt). */
  trackSnapshotRows(ids: number[], seqs: number[]): void {
    ids.forEach((id, i) => this.track(id, seqs[i]));
    this.notInSnapshot = new Set();
  }

  private track(id: number, seq: number): void {
    const old = this.seqOf.get(id);
    if (old !== undefined) this.idOfSeq.delete(old);
    this.seqOf.set(id, seq);
    this.idOfSeq.set(seq, id);
    if (this.ann) this.pending.add(id);
    else this.notInSnapshot?.add(id);
  }
}

/** HNSW candidates asked per wanted result, then re-ranked exactly. */
export const ANN_CANDIDATES_PER_RESULT = 2;

/**
 * The space of `whitening` in memory: stored vectors, plus the ones it lacks computed and stored.
 * Null when the library has no vectors of this model (no dimension to build an index with).
 * With a snapshot of the stored space (search/space-snapshot.ts), the rows it holds as the
 * database does are taken from it, and only the others are read from the database.
 * Damaged vectors (a corrupt database: see store/health.ts) are never searched with: a damaged
 * stored search vector is dropped and computed again from its raw vector; a damaged raw vector
 * goes to `damaged` (`rawDims`: how many numbers a sound one has, if known).
 */
export function openSearchSpace(
  db: Db,
  modelId: string,
  whitening: Whitening | null,
  rawDims: number | null = null,
  damaged?: (id: number) => void,
  snapshot: SpaceSnapshot | null = null,
): SearchSpace | null {
  const repo = new SearchVectorsRepository(db);
  const spaceId = spaceIdOf(whitening);
  const searchDims = whitening?.outDims ?? rawDims;
  let space: SearchSpace | null = null;
  const unsound: number[] = [];
  let capacity = 1024;
  const visitStored = (row: StoredSearchVector) => {
    if (vectorProblem(floatView(row.bytes), space?.exact.dims ?? searchDims)) {
      unsound.push(row.id);
      return;
    }
    space ??= new SearchSpace(spaceId, new VectorIndex(row.bytes.byteLength / 4, capacity));
    space.setBytes(row.id, row.seq, row.bytes);
  };
  // The counts and the rows in one read transaction (another connection may be indexing or removing meanwhile).
  const [stored, raw] = db.transaction(() => {
    const counts = [repo.count(modelId, spaceId), new FilesRepository(db).vectorCount(modelId)];
    capacity = Math.max(capacity, counts[0]);
    if (snapshot) {
      const opened = spaceFromSnapshot(spaceId, snapshot, repo.rowsWithoutVectors(modelId, spaceId));
      space = opened.space;
      repo.bySeqs(opened.elsewhere, visitStored);
    } else {
      repo.forEach(modelId, spaceId, visitStored);
    }
    return counts;
  })();
  if (unsound.length) repo.drop(modelId, spaceId, unsound);
  // The triggers keep a space's vectors a subset of the raw ones: as many of them as raw vectors
  // means none is missing, and the search for what is (a probe per photo: 0.09 s at 100k) is skipped.
  if (unsound.length > 0 || stored !== raw)
    fillSpace(
      db,
      modelId,
      whitening,
      (id, seq, vector) => {
        space ??= new SearchSpace(spaceId, new VectorIndex(vector.length, capacity));
        space.set(id, seq, vector);
      },
      rawDims,
      damaged,
    );
  return space;
}

/**
 * The space of the rows the database holds (`live`, by ascending file id) from a snapshot: the
 * rows it holds as the database does are packed in place in its matrix, which the space takes as
 * its own (no copy: the snapshot is used up). Returns it and the seqs of the other rows, which
 * are to be read from the database.
 */
function spaceFromSnapshot(spaceId: string, snapshot: SpaceSnapshot, live: { ids: number[]; seqs: number[] }): { space: SearchSpace; elsewhere: number[] } {
  const { dims, matrix } = snapshot;
  const kept: number[] = [];
  const keptSeqs: number[] = [];
  const elsewhere: number[] = [];
  // Both in ascending file-id order: one walk, and a kept row never moves down past one not yet read.
  let row = 0;
  live.ids.forEach((id, i) => {
    while (row < snapshot.ids.length && snapshot.ids[row] < id) row++;
    if (row < snapshot.ids.length && snapshot.ids[row] === id && snapshot.seqs[row] === live.seqs[i]) {
      if (row !== kept.length) matrix.copyWithin(kept.length * dims, row * dims, (row + 1) * dims);
      kept.push(id);
      keptSeqs.push(live.seqs[i]);
      row++;
    } else {
      elsewhere.push(live.seqs[i]);
    }
  });
  const space = new SearchSpace(spaceId, VectorIndex.adopt(dims, matrix, kept));
  space.trackSnapshotRows(kept, keptSeqs);
  return { space, elsewhere };
}

/**
 * Computes and stores the search vectors this space lacks (all of them, for a new fit's space).
 * Each batch reads its raw vectors and writes their search vectors in one write transaction, so a
 * raw vector rewritten meanwhile by another connection (whose trigger drops its search vectors)
 * can never leave a stale search vector behind. A damaged raw vector is skipped and reported to
 * `damaged`. Returns how many were computed.
 */
export function fillSpace(
  db: Db,
  modelId: string,
  whitening: Whitening | null,
  visit?: (id: number, seq: number, vector: Float32Array) => void,
  rawDims: number | null = whitening?.inDims ?? null,
  damaged?: (id: number) => void,
): number {
  const repo = new SearchVectorsRepository(db);
  const spaceId = spaceIdOf(whitening);
  let after = 0;
  let filled = 0;
  const batch = db.transaction(() => {
    const raws = repo.missing(modelId, spaceId, after, BATCH);
    const sound: { id: number; raw: Float32Array }[] = [];
    const unsound: number[] = [];
    for (const r of raws) {
      const raw = toFloat32(r.vector);
      if (vectorProblem(raw, rawDims)) unsound.push(r.id);
      else sound.push({ id: r.id, raw });
    }
    const vectors = toSearchSpaceMany(sound.map((r) => r.raw), whitening);
    const computed = sound.map((r, i) => ({ id: r.id, vector: vectors[i] }));
    const seqs = repo.put(modelId, spaceId, computed);
    return { last: raws.length ? raws[raws.length - 1].id : null, unsound, rows: computed.map((r, i) => ({ ...r, seq: seqs[i] })) };
  });
  for (;;) {
    const { last, unsound, rows } = batch.immediate();
    if (last === null) return filled;
    for (const id of unsound) damaged?.(id);
    for (const r of rows) visit?.(r.id, r.seq, r.vector);
    after = last;
    filled += rows.length;
  }
}

/** Stores search vectors computed elsewhere (photos just indexed) in the space of `whitening`; returns their seqs. */
export function storeSearchVectors(db: Db, modelId: string, whitening: Whitening | null, rows: { id: number; vector: Float32Array }[]): number[] {
  return rows.length ? new SearchVectorsRepository(db).put(modelId, spaceIdOf(whitening), rows) : [];
}
