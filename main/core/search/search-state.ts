/**
 * A library's search state: the open search space of the serving model (the exact index, and an
 * HNSW index at scale), the whitening fit that makes it, and the refits and index builds that
 * replace them. Duplicates and clusters receive this object (as their narrow contexts), text search
 * its index; the Library facade only says when photos were indexed or removed and a pass is over.
 */
import type { Db } from '../store/database.js';
import type { FilesRepository } from '../store/files-repository.js';
import { newSpaceId } from '../store/files-repository.js';
import { SearchVectorsRepository } from '../store/search-vectors-repository.js';
import type { KnnGraph } from '../clusters/neighbours.js';
import type { SimilarHit } from '../types.js';
import { VectorIndex, type Neighbour } from './vector-index.js';
import { DEFAULT_WHITENING, evenSampler, fitWhitening, needsRefit, toSearchSpace, toSearchSpaceMany, type Whitening } from './whitening.js';
import { buildSpaceOffThread, fitWhiteningOffThread } from './fit-off-thread.js';
import { fillSpace, openSearchSpace, spaceIdOf, storeSearchVectors, type SearchSpace } from './search-space.js';
import { ANN_FROM } from './ann-index.js';
import { AnnFiles } from './ann-files.js';
import { libraryGraph } from './neighbour-graph.js';
import { rerank, RERANK_DEPTH } from './rerank.js';

/** A photo's new raw vector (of the model it was embedded with) for the open space to follow. */
export interface IndexedVector {
  id: number;
  vector: Float32Array;
  modelId?: string | null;
}

/**
 * HNSW candidates ranked exactly for the re-ranking's RERANK_DEPTH. At k=50 the re-ranked answer is
 * an all-exact one's 99.4 % of the time on the scale bench's 100k library (200 candidates: 99.6 %
 * at twice the search time; 100: 88.8 %, the re-ranking then reading a noisy context), 97.8 % on
 * the 3,000 photos of unit/search-space (200: 98.9 %; 100: 95.3 %).
 */
const RERANK_POOL = 1.5 * RERANK_DEPTH;

export class SearchState {
  /** The open search space (exact index, and an HNSW index at scale); opened on first need. */
  private open: SearchSpace | null = null;
  private whitening: Whitening | null = null;
  /** An HNSW build running in a worker thread, if any. */
  private annBuild: Promise<void> | null = null;
  /** A whitening fit (and the filling of its space) running in worker threads, if any. */
  private whiteningFit: Promise<void> | null = null;

  /** The saved HNSW indexes (a file per model in the cache folder). */
  private readonly annFiles: AnnFiles;

  constructor(
    readonly db: Db,
    private readonly files: FilesRepository,
    /** Where the HNSW index files go (`<db>-cache/search`, or the private copy's of a read-only library). */
    annDir: string,
    /** The model whose vectors are searched (it changes when a model switch completes). */
    private readonly servingModel: () => string,
    /** Photos from which the space is searched through an HNSW index. */
    private readonly annFrom = ANN_FROM,
    /**
     * A second reader of a library that another SearchState owns (a worker thread answering one
     * question, library/answer-process.ts): it opens the stored space as it is and never refits.
     */
    private readonly reader = false,
  ) {
    this.annFiles = new AnnFiles(db, db.name, annDir);
  }

  get modelId(): string {
    return this.servingModel();
  }

  /**
   * The search-space (whitened, unit) vector of every indexed photo, by file id: opened from the
   * stored space (search/search-space.ts), computing only what it lacks.
   */
  searchIndex(): VectorIndex {
    // An empty library has no dimension yet: answer with an empty index, but do not keep it, so
    // the first vectors indexed later build the real one instead of meeting a 1-d placeholder.
    return this.space()?.exact ?? new VectorIndex(this.whitening?.outDims ?? 1, 16);
  }

  /** Whether the search space is whitened (a library of 64+ photos). */
  whitened(): boolean {
    return this.whitening !== null;
  }

  /** The id of the open search space (what kept answers were found in), or null when empty. */
  spaceId(): string | null {
    return this.space()?.spaceId ?? null;
  }

  /** How `similar` searches now: an exact scan, or the HNSW index with an exact re-rank (at scale). */
  searchKind(): 'exact' | 'hnsw' {
    return this.space()?.hasAnn ? 'hnsw' : 'exact';
  }

  /** Maps a raw vector of the serving model into the search space. */
  toSearchSpace(raw: Float32Array): Float32Array {
    this.searchIndex();
    return toSearchSpace(raw, this.whitening);
  }

  /** An indexed photo's search vector, if the open space has it. */
  vectorOf(id: number): Float32Array | undefined {
    return this.space()?.exact.vector(id);
  }

  /**
   * The k photos nearest a search-space vector by cosine (HNSW or exact, exact scores), before
   * re-ranking; at scale, the best of `pool` HNSW candidates (SearchSpace.search).
   */
  candidates(vector: Float32Array, k: number, exclude?: Set<number>, pool?: number): Neighbour[] {
    const space = this.space();
    return !space || space.size === 0 ? [] : space.search(vector, k, exclude, pool);
  }

  /** The k photos nearest a search-space vector, re-ranked by their neighbourhoods (search/rerank.ts). */
  nearestTo(vector: Float32Array, k: number, exclude?: Set<number>): SimilarHit[] {
    const space = this.space();
    if (!space || space.size === 0) return [];
    const depth = Math.max(k, RERANK_DEPTH);
    const nearest = this.candidates(vector, depth, exclude, Math.max(2 * k, RERANK_POOL));
    const hits = rerank(vector, nearest, (id) => space.exact.vector(id)).slice(0, k);
    const paths = this.files.pathsOf(hits.map((h) => h.id));
    return hits.map((h) => ({ id: h.id, path: paths.get(h.id)!, score: h.score }));
  }

  /**
   * The kept neighbour graph (search/neighbour-graph) over these photos, when they are most of the
   * library; a folder's or a search result's photos get a graph of their own (null here).
   */
  graph(ids: number[], k: number): KnnGraph | null {
    const space = this.space();
    if (!space || ids.length < 2 || ids.length < space.size / 2) return null;
    return libraryGraph(this.db, this.modelId, space, ids, k);
  }

  /**
   * Stored vectors found damaged (a corrupt database) are never searched with: their files are
   * queued for re-embedding (`status` counts them as pending). On a read-only database they are
   * only left out.
   */
  forgetDamaged(ids: number[]): void {
    if (ids.length === 0) return;
    try {
      this.files.markForReindex(ids);
    } catch {
      // cannot write here: the next pass that can will find them again
    }
  }

  /**
   * Photos indexed or removed: the open search space follows, in memory and in the database.
   * (Removed rows leave the stored space by cascade; a closed space computes what it lacks when
   * next opened, so nothing is done here until one is open.)
   */
  keepInStep(results: IndexedVector[], removedIds: number[]): void {
    const space = this.open;
    if (!space) return;
    try {
      for (const id of removedIds) space.delete(id);
      // New-model vectors made during a model switch wait until the whole library has them.
      const serving = results.filter((r) => !r.modelId || r.modelId === this.modelId);
      const vectors = toSearchSpaceMany(serving.map((r) => r.vector), this.whitening);
      const rows = serving.map((r, i) => ({ id: r.id, vector: vectors[i] }));
      const seqs = storeSearchVectors(this.db, this.modelId, this.whitening, rows);
      rows.forEach((r, i) => space.set(r.id, seqs[i], r.vector));
    } catch (error) {
      // The raw vectors are committed; only the open space is out of step. Drop it so the next
      // search opens it again from the database (computing what it lacks), rather than failing
      // the indexing batch: a throw here, from a watcher callback, once ended `likeness serve`.
      this.open = null;
      console.error('likeness: the search index fell out of step and will be rebuilt:', error instanceof Error ? error.message : error);
    }
  }

  /** Photos that left the library (a resolution sent them to the trash). */
  remove(ids: number[]): void {
    for (const id of ids) this.open?.delete(id);
  }

  /**
   * Another model now serves: its space is opened (and fitted) on next use; `stale` old-model
   * vectors were deleted, and that model's HNSW index goes with them.
   */
  servingModelChanged(stale: number): void {
    if (stale > 0) this.annFiles.forgetOtherModels(this.modelId);
    this.open = null;
    this.whitening = null;
  }

  /**
   * After indexing: refits the whitening if due (storing its new space), then, at scale, builds
   * the HNSW index of the space if it has none or lacks a tenth of the photos. All heavy work runs
   * in worker threads; the current space answers meanwhile.
   */
  async update(): Promise<void> {
    await this.refitOffThread();
    await this.refreshAnn();
  }

  /** Waits for the fits and builds in flight (their results are saved). */
  async settle(): Promise<void> {
    await this.whiteningFit?.catch(() => undefined);
    await this.annBuild?.catch(() => undefined);
  }

  /** The open search space, opened from the database (and its saved HNSW index) on first need. */
  private space(): SearchSpace | null {
    if (this.open) return this.open;
    if (!this.reader) this.refitIfNeeded();
    const modelId = this.modelId;
    this.whitening = this.files.whitening(modelId);
    const damaged: number[] = [];
    const rawDims = this.files.vectorDims(modelId);
    const saved = this.annFiles.savedFor(modelId, spaceIdOf(this.whitening));
    const snapshot = saved && this.annFiles.snapshot(saved, this.whitening?.outDims ?? rawDims);
    const space = openSearchSpace(this.db, modelId, this.whitening, rawDims, (id) => damaged.push(id), snapshot);
    this.forgetDamaged(damaged);
    if (!space) return null;
    if (saved) this.annFiles.attach(saved, space, snapshot !== null);
    this.open = space;
    return space;
  }

  private refreshAnn(): Promise<void> {
    this.annBuild ??= (async () => {
      const space = this.space();
      if (!space || space.size < this.annFrom || space.annCoverage() >= 0.9) return;
      const ann = await this.annFiles.build(this.modelId, space);
      if (ann && this.open === space) space.attachAnn(ann);
    })().finally(() => {
      this.annBuild = null;
    });
    return this.annBuild;
  }

  /**
   * Opening a space with a refit due. A refit of an existing fit runs in worker threads in the
   * background: the current space is opened and answers until the new one is stored (a server
   * reopening its space mid-indexing, or after an upgrade changed the recipe, is not blocked).
   * A model's first fit (a library indexed by an older version: nothing whitened to answer from,
   * and an unwhitened space would be 7 KB a photo to store) is made here, on this thread, once.
   * Not while a fit is running off-thread: its result is coming.
   */
  private refitIfNeeded(): void {
    if (this.whiteningFit) return;
    const modelId = this.modelId;
    const current = this.files.whitening(modelId);
    if (!needsRefit(current, this.files.vectorCount(modelId))) return;
    if (current) {
      this.refitOffThread().catch((error) => console.error('likeness: the search-space refit failed:', error instanceof Error ? error.message : error));
      return;
    }
    const sample = this.whiteningSample()!;
    this.switchToFit(sample.modelId, fitWhitening(sample.vectors, DEFAULT_WHITENING, sample.total));
  }

  /**
   * Refits the whitening if due, in worker threads, so that the server keeps answering (with the
   * previous fit) during the seconds a fit and its new search space take. One fit at a time. The
   * new space is stored in full before the fit is saved: saving it is the switch, so until then
   * (or after a crash) the old space answers.
   */
  private refitOffThread(): Promise<void> {
    this.whiteningFit ??= (async () => {
      const sample = this.whiteningSample();
      if (!sample) return;
      let fit: Whitening;
      try {
        fit = await fitWhiteningOffThread(sample.vectors, sample.total);
      } catch {
        fit = fitWhitening(sample.vectors, DEFAULT_WHITENING, sample.total); // no worker thread: fit here
      }
      fit = { ...fit, spaceId: newSpaceId() };
      try {
        await buildSpaceOffThread(this.db.name, sample.modelId, fit);
      } catch {
        fillSpace(this.db, sample.modelId, fit); // no worker thread: build it here
      }
      this.switchToFit(sample.modelId, fit);
      // Opened in the new space on next use (it computes what was indexed during the build).
      if (this.modelId === sample.modelId) this.open = null;
    })().finally(() => {
      this.whiteningFit = null;
    });
    return this.whiteningFit;
  }

  /** Saves a fit (the switch to its search space) and drops the model's other spaces, in one transaction. */
  private switchToFit(modelId: string, fit: Whitening): void {
    this.db.transaction(() => {
      const saved = this.files.saveWhitening(modelId, fit);
      new SearchVectorsRepository(this.db).dropOtherSpaces(modelId, spaceIdOf(saved));
    })();
  }

  /** The serving model's vectors a due refit would use (an even sample), or null if none is due. */
  private whiteningSample(): { modelId: string; vectors: Float32Array[]; total: number } | null {
    const modelId = this.modelId;
    const count = this.files.vectorCount(modelId);
    if (!needsRefit(this.files.whitening(modelId), count)) return null;
    // Only the rows the fit samples are kept in memory, not the whole library.
    const vectors: Float32Array[] = [];
    const sampled = evenSampler(count);
    let total = 0;
    this.files.forEachVector(modelId, (_id, v) => {
      if (sampled(total++)) vectors.push(v);
    });
    return { modelId, vectors, total };
  }
}
