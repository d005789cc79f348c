/**
 * The Likeness engine as one object: a library database plus the workers that fill it and the
 * in-memory vector index that answers from it. The CLI, the web server and the Electron app are
 * thin fronts over this class; it imports nothing from Electron.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from './store/database.js';
import { privateCopyOf, ReadOnlyLibraryError, whyReadOnly, type PrivateCopy } from './store/read-only.js';
import { FilesRepository, toDetail, isInside } from './store/files-repository.js';
import { WorkerPool } from './embedding/pool.js';
import type { EngineName } from './embedding/engine.js';
import { BACKBONE_MODEL_ID } from './embedding/bundled-backbone.js';
import { vectorModelId } from './embedding/flip-average.js';
import { BUNDLED_SPEC, listManifests, resolveModel, type ModelSpec } from './embedding/models/manifest.js';
import { indexFolders, sweepOrphanThumbnails, type IndexerDeps, type IndexOptions } from './library/indexer.js';
import { LibraryStore } from './library/library-store.js';
import { Watcher, type WatchOptions } from './watch/watcher.js';
import { VectorIndex, type Neighbour } from './search/vector-index.js';
import { DEFAULT_WHITENING, evenSampler, fitWhitening, needsRefit, toSearchSpace, toSearchSpaceMany, type Whitening } from './search/whitening.js';
import { buildSpaceOffThread, fitWhiteningOffThread } from './search/fit-off-thread.js';
import { fillSpace, openSearchSpace, spaceIdOf, storeSearchVectors, type SearchSpace } from './search/search-space.js';
import { ANN_FROM } from './search/ann-index.js';
import { AnnFiles } from './search/ann-files.js';
import { libraryGraph } from './search/neighbour-graph.js';
import { rerank, RERANK_DEPTH } from './search/rerank.js';
import type { KnnGraph } from './clusters/neighbours.js';
import { SearchVectorsRepository } from './store/search-vectors-repository.js';
import { newSpaceId } from './store/files-repository.js';
import { cacheDirFor, defaultDbPath, thumbnailDirFor } from './paths.js';
import { AnswerCache } from './duplicates/answer-cache.js';
import { findLibraryDuplicates, markNotDuplicates, resolveDuplicates } from './duplicates/duplicates-service.js';
import { undoLastTrash } from './trash/trash-service.js';
import { recoverInterruptedTrash, type RecoveryNote } from './trash/recovery.js';
import { loadThresholds, saveThresholds, type DuplicateThresholds } from './duplicates/thresholds.js';
import { readExposureFacts } from './imaging/decode.js';
import { loadReferenceFolders, saveReferenceFolders } from './duplicates/reference-folders.js';
import { clusterLibrary } from './clusters/clusters-service.js';
import { searchLibrary } from './text-search/search-service.js';
import { TagsRepository } from './text-search/tags-repository.js';
import { AnnotationQueue, annotationEnabled, type AnnotateOptions, type AnnotateSummary } from './annotation/annotation-queue.js';
import { AnnotationsRepository, type PhotoAnnotations } from './annotation/annotations-repository.js';
import { People, facesEnabledByEnv } from './people/people.js';
import { suggestTags, type TagSuggestion } from './annotation/tag-suggestions.js';
import { annotationProgress, frequentThings, type AnnotationProgress, type Thing } from './annotation/things.js';
import { annotatorId } from './annotation/annotator-id.js';
import type {
  ClustersAnswer,
  ClustersQuery,
  DuplicatesAnswer,
  DuplicatesQuery,
  ResolveAnswer,
  ResolveRequest,
  SearchAnswer,
  SearchQuery,
  TagCount,
  UndoAnswer,
} from './types.js';
import type {
  FolderCount,
  IndexSummary,
  PhotoDetail,
  PhotoPage,
  PhotoQuery,
  RootState,
  SimilarAnswer,
  SimilarHit,
  StatusReport,
} from './types.js';

export interface LibraryOptions {
  dbPath?: string;
  engine?: EngineName;
  /** Embedding worker threads; one per core by default. */
  workers?: number;
  /** Photos from which `similar` answers through an HNSW index (ANN_FROM by default). */
  annFrom?: number;
  /** Automatic tags and text (objects, OCR) after embedding; on unless LIKENESS_ANNOTATE=off. */
  annotate?: boolean;
  /**
   * Faces and people (found by the annotation queue). Unset: off with `annotate: false`, else on
   * unless LIKENESS_FACES=off (itself unset: as LIKENESS_ANNOTATE) or the user's setting is off.
   */
  faces?: boolean;
}

export const DEFAULT_K = 50;

/** A model a library can use (`likeness model list`). */
export interface ModelInfo {
  /** The manifest's id (the bundled backbone's is BACKBONE_MODEL_ID). */
  id: string;
  /** The id its vectors carry. */
  vectorModelId: string;
  manifestPath: string | null;
  inputSize: number;
  layout: string;
  pooling: string;
  /** The library's chosen model (what indexing embeds with). */
  target: boolean;
  /** The model whose vectors answer queries now (differs from the target until re-embedding completes). */
  serving: boolean;
}

export interface ModelSwitch {
  target: string;
  serving: string;
  /** Indexed files still lacking a vector of the target model (re-embedded by the next index/watch). */
  toReembed: number;
}

/** The library's model setting: what to load (a manifest path, or an id) and the manifest's id. */
interface ModelSetting {
  model: string;
  id: string;
}
const MODEL_KEY = 'model';

export class Library {
  readonly dbPath: string;
  readonly thumbnailDir: string;
  readonly db: Db;
  readonly files: FilesRepository;
  /** Roots and file identity (moves, copies, offline state): the watcher's side of the store. */
  readonly store: LibraryStore;
  private watcher: Watcher | null = null;
  private poolPromise: Promise<WorkerPool> | null = null;
  /** The open search space (exact index, and an HNSW index at scale); opened on first need. */
  private space: SearchSpace | null = null;
  /** An HNSW build running in a worker thread, if any. */
  private annBuild: Promise<void> | null = null;
  private readonly annFiles: AnnFiles;
  private whitening: Whitening | null = null;
  private servingCache: string | null = null;
  /** A one-worker pool of the serving model, for external queries while re-embedding. */
  private servingPoolPromise: Promise<WorkerPool> | null = null;
  /** A whitening fit running in a worker thread, if any. */
  private whiteningFit: Promise<void> | null = null;
  /** Objects and text in photos, annotated after embedding (started on first need). */
  private annotationQueue: AnnotationQueue | null = null;

  private constructor(
    dbPath: string,
    private readonly options: LibraryOptions,
  ) {
    this.dbPath = dbPath;
    this.thumbnailDir = thumbnailDirFor(dbPath);
    this.readOnly = whyReadOnly(dbPath);
    this.readOnlyCopy = this.readOnly ? privateCopyOf(dbPath) : null;
    try {
      this.db = openDatabase(this.readOnlyCopy?.file ?? dbPath);
    } catch (error) {
      this.readOnlyCopy?.dispose();
      throw error;
    }
    this.files = new FilesRepository(this.db);
    this.store = new LibraryStore(this.db);
    // A crashed resolution moves photos to settle: not from a copy whose journal is thrown away.
    this.interruptedTrash = this.readOnly ? [] : settleInterruptedTrash(this.db);
    // Search indexes built for a read-only library go with its copy.
    const cacheDir = this.readOnlyCopy ? this.readOnlyCopy.dir : cacheDirFor(dbPath);
    this.annFiles = new AnnFiles(this.db, this.db.name, path.join(cacheDir, 'search'));
    this.keptDuplicates = new AnswerCache(path.join(cacheDir, 'duplicates'));
  }

  /** Duplicate answers kept for an unchanged library (duplicates/answer-cache.ts). */
  private readonly keptDuplicates: AnswerCache<DuplicatesAnswer>;

  /**
   * Why this library cannot be changed (null when it can): its database is on a read-only folder
   * or file. It is then read from a private temporary copy (store/read-only.ts): search, similar,
   * duplicates and clusters answer; indexing and every change are refused with this reason.
   */
  readonly readOnly: string | null;
  private readonly readOnlyCopy: PrivateCopy | null;

  /** Refuses a change to a read-only library, saying why. */
  private assertWritable(action: string): void {
    if (this.readOnly) throw new ReadOnlyLibraryError(action, this.readOnly);
  }

  /**
   * What a resolution interrupted by a crash had left half-done, finished or rolled back when
   * this library opened (in words, for the fronts to tell the user).
   */
  readonly interruptedTrash: RecoveryNote[];

  static open(options: LibraryOptions = {}): Library {
    return new Library(path.resolve(options.dbPath ?? defaultDbPath()), options);
  }

  /**
   * The model whose vectors this library searches: the target model once every indexed file has
   * a vector of it; until then (a model switch being re-embedded) the previous model.
   */
  get modelId(): string {
    if (this.servingCache) return this.servingCache;
    const target = this.targetModelId;
    const serving = this.files.countLackingVector(target) === 0 ? target : (this.files.mostCommonModelExcept(target) ?? target);
    this.servingCache = serving;
    return serving;
  }

  /** The model the library embeds with (its `model` setting; the bundled backbone by default). */
  get targetModelId(): string {
    return vectorModelId(this.modelSetting().id);
  }

  private modelSetting(): ModelSetting {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(MODEL_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as ModelSetting) : { model: BACKBONE_MODEL_ID, id: BACKBONE_MODEL_ID };
  }

  /** Every model in the model folders (and the bundled backbone), with which one is in use. */
  models(): ModelInfo[] {
    const target = this.targetModelId;
    const serving = this.modelId;
    const { specs } = listManifests();
    const all: ModelSpec[] = specs.some((s) => s.id === BUNDLED_SPEC.id) ? specs : [BUNDLED_SPEC, ...specs];
    return all.map((spec) => ({
      id: spec.id,
      vectorModelId: vectorModelId(spec.id),
      manifestPath: spec.manifestPath ?? null,
      inputSize: spec.inputSize,
      layout: spec.layout,
      pooling: spec.pooling,
      target: vectorModelId(spec.id) === target,
      serving: vectorModelId(spec.id) === serving,
    }));
  }

  /**
   * Chooses the library's model (a manifest path, or a manifest id / file stem in the model
   * folders). Nothing is re-embedded here: the next index or watch pass re-embeds the library
   * with it, while the old vectors keep answering queries until every file has a new vector.
   */
  async setModel(nameOrPath: string): Promise<ModelSwitch> {
    this.assertWritable('change the model');
    if (this.watcher && !this.watcher.closed) throw new Error('stop watching before changing the model (the watcher embeds with the current one)');
    const spec = resolveModel(nameOrPath);
    const setting: ModelSetting = { model: spec.manifestPath ?? spec.id, id: spec.id };
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(MODEL_KEY, JSON.stringify(setting));
    // The next pool starts with the new model.
    const pool = this.poolPromise;
    this.poolPromise = null;
    if (pool) await (await pool.catch(() => null))?.close();
    this.servingCache = null;
    this.finishModelSwitchIfComplete();
    await this.updateSearchSpace();
    const target = this.targetModelId;
    return { target, serving: this.modelId, toReembed: this.files.countLackingVector(target) };
  }

  /**
   * When every indexed file has a vector of the target model, it starts serving: the other
   * models' vectors go and the search index is rebuilt (callers then refit the whitening).
   */
  private finishModelSwitchIfComplete(): void {
    const target = this.targetModelId;
    if (this.files.countLackingVector(target) > 0) return;
    const stale = this.files.deleteVectorsExcept(target);
    // The old model's HNSW index goes with its vectors (its file with the next build's sweep).
    if (stale > 0) this.annFiles.forgetOtherModels(target);
    if (this.servingCache !== target || stale > 0) {
      this.servingCache = target;
      this.space = null;
      this.whitening = null;
      const old = this.servingPoolPromise;
      this.servingPoolPromise = null;
      if (old) void old.then((p) => p.close()).catch(() => {});
    }
  }

  // --- indexing ------------------------------------------------------------------------------

  /**
   * One pass over `folders` (which become roots): new and changed files are embedded, moved ones
   * keep their rows, vanished ones leave the index, unreachable roots are marked offline. While
   * the library is watched, the pass runs through the watcher (one writer at a time).
   */
  async index(folders: string[], options: IndexOptions = {}): Promise<IndexSummary> {
    this.assertWritable('index');
    const roots = folders.map((f) => path.resolve(f));
    const registered = new Set(this.files.roots());
    // A known root may be unreachable (unplugged drive): the pass marks it offline instead.
    const devices = new Map(roots.filter((root) => !registered.has(root)).map((root) => [root, folderStat(root).dev]));
    for (const [root, device] of devices) this.store.addRoot(root, { device });
    let summary: IndexSummary;
    if (this.watcher && !this.watcher.closed) {
      summary = await this.watcher.index(roots, options.signal);
    } else {
      summary = await indexFolders(roots, this.indexerDeps(), options);
      this.finishModelSwitchIfComplete();
      await this.updateSearchSpace();
      await sweepOrphanThumbnails(this.thumbnailDir, this.files.thumbnailsInUse());
    }
    await this.readMissingExposure(roots, options.signal);
    options.onProgress?.({ phase: 'done', done: summary.indexed + summary.failed, total: summary.indexed + summary.failed, failed: summary.failed, imagesPerSecond: 0, etaSeconds: 0 });
    return summary;
  }

  /**
   * Photos indexed before exposure facts were kept (migration 0009) get them on the next pass:
   * only the EXIF at the head of each file is read, no decode and no CNN (about a millisecond
   * a photo, once). A photo that changed was indexed again by the pass, facts included.
   */
  private async readMissingExposure(roots: string[], signal?: AbortSignal): Promise<void> {
    const rows = this.files.lackingExposure(roots);
    for (let i = 0; i < rows.length && !signal?.aborted; i += 16) {
      const batch = rows.slice(i, i + 16);
      const facts = await Promise.all(batch.map((row) => readExposureFacts(row.path)));
      this.db.transaction(() => batch.forEach((row, j) => this.files.saveExposure(row.id, facts[j])))();
    }
  }

  // --- roots and watching --------------------------------------------------------------------

  /**
   * Adds a folder to the library. While watched, it is reconciled and watched at once (its
   * photos are embedded in the background); otherwise the next `index` pass picks it up.
   */
  async addRoot(folder: string, options: { polling?: boolean } = {}): Promise<RootState> {
    this.assertWritable('add a folder');
    const root = path.resolve(folder);
    const stat = folderStat(root);
    this.store.addRoot(root, { device: stat.dev, polling: options.polling });
    if (this.watcher && !this.watcher.closed) await this.watcher.addRoot(root);
    return this.rootsWithState().find((r) => r.path === root)!;
  }

  /** Removes a folder: its entries leave the index (unless another root covers them); the disk is untouched. */
  async removeRoot(folder: string): Promise<number> {
    this.assertWritable('remove a folder');
    const root = path.resolve(folder);
    if (!this.store.root(root)) throw new Error(`not a library folder: ${root}`);
    if (this.watcher && !this.watcher.closed) return (await this.watcher.removeRoot(root)).length;
    const removed = this.store.removeRoot(root);
    this.keepIndexInStep([], removed);
    await sweepOrphanThumbnails(this.thumbnailDir, this.files.thumbnailsInUse());
    return removed.length;
  }

  /** Watch a root by polling (network drives, where file-system events do not arrive). */
  setRootPolling(folder: string, polling: boolean): void {
    this.assertWritable('change how a folder is watched');
    const root = path.resolve(folder);
    if (!this.store.root(root)) throw new Error(`not a library folder: ${root}`);
    this.store.setPolling(root, polling);
  }

  rootsWithState(): RootState[] {
    const rows = this.store.rootRows();
    const all = rows.map((r) => r.path);
    const watched = this.watcher && !this.watcher.closed ? this.watcher.watchedRoots() : [];
    return rows.map((r) => ({
      path: r.path,
      online: r.offline_since === null,
      offlineSince: r.offline_since,
      polling: r.polling === 1,
      watched: watched.some((w) => w === r.path || isInside(r.path, w)),
      nested: all.some((other) => other !== r.path && isInside(r.path, other)),
      ...this.store.countsUnder(r.path),
      scannedAt: r.scanned_at,
    }));
  }

  /**
   * Reconciles every root with the disk (changes made while Likeness was not running), then
   * keeps the index current as files are added, changed, moved or deleted. Stop with
   * `stopWatching()` (or `close()`), which finishes the batch in flight.
   */
  async watch(options: WatchOptions = {}): Promise<Watcher> {
    this.assertWritable('watch the folders');
    if (this.watcher && !this.watcher.closed) throw new Error('this library is already being watched');
    this.watcher = await Watcher.start(
      {
        ...this.indexerDeps(),
        onDrained: async () => {
          this.finishModelSwitchIfComplete();
          await this.updateSearchSpace();
          await sweepOrphanThumbnails(this.thumbnailDir, this.files.thumbnailsInUse());
          // In the background: new photos are searchable by similarity before they are annotated.
          if (this.annotationOn || this.facesOn) void this.annotate().catch((error) => process.stderr.write(`annotation: ${(error as Error).message}\n`));
        },
      },
      options,
    );
    return this.watcher;
  }

  /** Reconciles every root with the disk again, through the running watcher (Watcher.rescan). */
  rescan(): Promise<void> {
    return this.watcher && !this.watcher.closed ? this.watcher.rescan() : Promise.reject(new Error('the library is not being watched'));
  }

  async stopWatching(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = null;
    await watcher?.close();
  }

  private indexerDeps(): IndexerDeps {
    return {
      repo: this.files,
      store: this.store,
      pool: () => this.pool(),
      modelId: this.targetModelId,
      exclude: [cacheDirFor(this.dbPath)],
      onIndexed: (results, removed) => this.keepIndexInStep(results, removed),
    };
  }

  status(): StatusReport {
    return { ...this.files.counts(), failures: this.files.failures(), ...(this.readOnly ? { readOnly: this.readOnly } : {}) };
  }

  // --- find similar --------------------------------------------------------------------------

  /**
   * For each query (an indexed photo, or any image file, which is embedded on the fly and not
   * added), the k most similar photos of the library, best first. A photo never matches itself.
   */
  async similar(queries: string[], k = DEFAULT_K): Promise<SimilarAnswer[]> {
    const answers: SimilarAnswer[] = [];
    for (const query of queries) {
      const absolute = path.resolve(query);
      const row = this.files.byPath(absolute);
      const indexed = row && row.status === 'indexed' ? row.id : undefined;
      // An indexed photo's search vector is at hand (the space stores exactly what its raw vector maps to).
      const inSpace = indexed === undefined ? undefined : this.searchSpace()?.exact.vector(indexed);
      const stored = inSpace || indexed === undefined ? undefined : this.files.vectorOf(indexed, this.modelId, () => this.forgetDamaged([indexed]));
      let vector: Float32Array;
      if (inSpace) {
        vector = inSpace;
      } else if (stored) {
        vector = this.toSearchSpace(stored);
      } else {
        assertImageFile(absolute, 'query image');
        vector = this.toSearchSpace(await this.embedExternal({ path: absolute }));
      }
      const exclude = (inSpace || stored) && indexed !== undefined ? new Set([indexed]) : undefined;
      answers.push({ query: absolute, results: this.nearestTo(vector, k, exclude) });
    }
    return answers;
  }

  /** Reverse image search for bytes that are not a file (drag-and-drop, upload). */
  async similarToBuffer(image: Buffer, k = DEFAULT_K): Promise<SimilarHit[]> {
    return this.nearest(await this.embedExternal({ bytes: new Uint8Array(image) }), k);
  }

  /**
   * The search-space (whitened, unit) vector of every indexed photo, by file id: opened from the
   * stored space (search/search-space.ts), computing only what it lacks.
   */
  searchIndex(): VectorIndex {
    // An empty library has no dimension yet: answer with an empty index, but do not keep it, so
    // the first vectors indexed later build the real one instead of meeting a 1-d placeholder.
    return this.searchSpace()?.exact ?? new VectorIndex(this.whitening?.outDims ?? 1, 16);
  }

  /** The open search space, opened from the database (and its saved HNSW index) on first need. */
  private searchSpace(): SearchSpace | null {
    if (this.space) return this.space;
    this.refitWhiteningIfNeeded();
    this.whitening = this.files.whitening(this.modelId);
    const damaged: number[] = [];
    const space = openSearchSpace(this.db, this.modelId, this.whitening, this.files.vectorDims(this.modelId), (id) => damaged.push(id));
    this.forgetDamaged(damaged);
    if (!space) return null;
    this.annFiles.attachSaved(this.modelId, space);
    this.space = space;
    return space;
  }

  /** How `similar` searches now: an exact scan, or the HNSW index with an exact re-rank (at scale). */
  searchKind(): 'exact' | 'hnsw' {
    return this.searchSpace()?.hasAnn ? 'hnsw' : 'exact';
  }

  /**
   * Stored vectors found damaged (a corrupt database) are never searched with: their files are
   * queued for re-embedding (`status` counts them as pending). On a read-only database they are
   * only left out.
   */
  private forgetDamaged(ids: number[]): void {
    if (ids.length === 0) return;
    try {
      this.files.markForReindex(ids);
    } catch {
      // cannot write here: the next pass that can will find them again
    }
  }

  /** Maps a raw vector of this library's model into the search space. */
  toSearchSpace(raw: Float32Array): Float32Array {
    this.searchIndex();
    return toSearchSpace(raw, this.whitening);
  }

  private nearest(raw: Float32Array, k: number, exclude?: Set<number>): SimilarHit[] {
    return this.nearestTo(this.toSearchSpace(raw), k, exclude);
  }

  /** The k photos nearest a search-space vector by cosine (HNSW or exact, exact scores), before re-ranking. */
  candidates(vector: Float32Array, k: number, exclude?: Set<number>): Neighbour[] {
    const space = this.searchSpace();
    return !space || space.size === 0 ? [] : space.search(vector, k, exclude);
  }

  /** The k photos nearest a search-space vector, re-ranked by their neighbourhoods (search/rerank.ts). */
  private nearestTo(vector: Float32Array, k: number, exclude?: Set<number>): SimilarHit[] {
    const space = this.searchSpace();
    if (!space || space.size === 0) return [];
    const nearest = this.candidates(vector, Math.max(k, RERANK_DEPTH), exclude);
    const hits = rerank(vector, nearest, (id) => space.exact.vector(id)).slice(0, k);
    const paths = this.files.pathsOf(hits.map((h) => h.id));
    return hits.map((h) => ({ id: h.id, path: paths.get(h.id)!, score: h.score }));
  }

  private async embedExternal(item: { path?: string; bytes?: Uint8Array }): Promise<Float32Array> {
    const pool = this.modelId === this.targetModelId ? await this.pool() : await this.servingPool();
    const [result] = await pool.process([{ ...item, thumbnail: false }]);
    if (!result.ok) throw new Error(`cannot search with ${item.path ?? 'this image'}: ${result.reason}`);
    if (pool.info.modelId !== this.modelId) throw new Error(`engine model ${pool.info.modelId} does not match the library's ${this.modelId}`);
    return result.vector;
  }

  /**
   * Photos indexed or removed: the open search space follows, in memory and in the database.
   * (Removed rows leave the stored space by cascade; a closed space computes what it lacks when
   * next opened, so nothing is done here until one is open.)
   */
  private keepIndexInStep(results: { id: number; vector: Float32Array; modelId?: string | null }[], removedIds: number[]): void {
    const space = this.space;
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
      this.space = null;
      console.error('likeness: the search index fell out of step and will be rebuilt:', error instanceof Error ? error.message : error);
    }
  }

  /**
   * After indexing: refits the whitening if due (storing its new space), then, at scale, builds
   * the HNSW index of the space if it has none or lacks a tenth of the photos. All heavy work runs
   * in worker threads; the current space answers meanwhile.
   */
  async updateSearchSpace(): Promise<void> {
    await this.refitWhiteningOffThread();
    await this.refreshAnn();
  }

  private refreshAnn(): Promise<void> {
    this.annBuild ??= (async () => {
      const space = this.searchSpace();
      if (!space || space.size < (this.options.annFrom ?? ANN_FROM) || space.annCoverage() >= 0.9) return;
      const ann = await this.annFiles.build(this.modelId, space);
      if (ann && this.space === space) space.attachAnn(ann);
    })().finally(() => {
      this.annBuild = null;
    });
    return this.annBuild;
  }

  /**
   * Refits the whitening if due, on this thread: for a search before any fit was made (a library
   * indexed by an older version). Not while a fit is running off-thread: its result is coming.
   */
  private refitWhiteningIfNeeded(): void {
    if (this.whiteningFit) return;
    const sample = this.whiteningSample();
    if (!sample) return;
    this.switchToFit(sample.modelId, fitWhitening(sample.vectors, DEFAULT_WHITENING, sample.total));
    this.space = null; // the search space changed: opened (computed here, once) on next use
  }

  /**
   * Refits the whitening if due, in worker threads, so that the server keeps answering (with the
   * previous fit) during the seconds a fit and its new search space take. One fit at a time. The
   * new space is stored in full before the fit is saved: saving it is the switch, so until then
   * (or after a crash) the old space answers.
   */
  private refitWhiteningOffThread(): Promise<void> {
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
      if (this.modelId === sample.modelId) this.space = null;
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

  // --- duplicates, clusters, text and hybrid search, tags (issue 4) --------------------------

  /** Duplicate groups (exact and near by default; `tier: 'similar'` adds similar shots). */
  async dupes(query: DuplicatesQuery = {}): Promise<DuplicatesAnswer> {
    return findLibraryDuplicates(
      {
        db: this.db,
        modelId: this.modelId,
        searchIndex: () => this.searchIndex(),
        graph: (ids, k) => this.keptGraph(ids, k),
        kept: { answers: this.keptDuplicates, spaceId: () => this.searchSpace()?.spaceId ?? null },
      },
      query,
    );
  }

  /** Sends each group's `trash` files to the trash, as one resolution that `undoLastResolve` reverts. */
  async resolveDupes(requests: ResolveRequest[]): Promise<ResolveAnswer> {
    this.assertWritable('resolve duplicates');
    const { removedIds, ...answer } = await resolveDuplicates(this.db, requests);
    for (const id of removedIds) this.space?.delete(id);
    return answer;
  }

  /** Puts the files of the last resolution back and re-enters them in the library. */
  async undoLastResolve(): Promise<UndoAnswer> {
    this.assertWritable('undo a resolution');
    const outcome = await undoLastTrash(this.db);
    this.keepIndexInStep(
      outcome.reinstated.flatMap((r) => (r.vector && r.modelId === this.modelId ? [{ id: r.id, vector: r.vector, modelId: r.modelId }] : [])),
      [],
    );
    const recovered = [...this.interruptedTrash.splice(0), ...outcome.recovered];
    return { restored: outcome.restored.length, paths: outcome.restored, failed: outcome.failed, ...(recovered.length ? { recovered } : {}) };
  }

  /** The duplicate thresholds (calibrated defaults, or what the user set; kept in the database). */
  duplicateThresholds(): DuplicateThresholds {
    return loadThresholds(this.db);
  }

  setDuplicateThresholds(patch: Partial<DuplicateThresholds>): DuplicateThresholds {
    this.assertWritable('change the duplicate thresholds');
    return saveThresholds(this.db, patch);
  }

  /** Reference folders: their photos are always the keeper of their group, never trashed by a resolve. */
  referenceFolders(): string[] {
    return loadReferenceFolders(this.db);
  }

  /** Replaces the reference folders (absolute paths; they need not be library folders yet). */
  setReferenceFolders(folders: string[]): string[] {
    this.assertWritable('change the reference folders');
    return saveReferenceFolders(this.db, folders);
  }

  /** Remembers that these photos are not duplicates of one another (never grouped again). */
  notDuplicates(paths: string[]): number {
    this.assertWritable('mark photos as not duplicates');
    return markNotDuplicates(this.db, paths);
  }

  /** Clusters of look-alike photos (of the library, a folder, or given photos), largest first. */
  async clusters(query: ClustersQuery = {}): Promise<ClustersAnswer> {
    const whitened = () => this.whitening !== null;
    return clusterLibrary({ db: this.db, searchIndex: () => this.searchIndex(), graph: (ids, k) => this.keptGraph(ids, k), whitened }, query);
  }

  /**
   * The kept neighbour graph (search/neighbour-graph) over these photos, when they are most of the
   * library; a folder's or a search result's photos get a graph of their own (null here).
   */
  private keptGraph(ids: number[], k: number): KnnGraph | null {
    const space = this.searchSpace();
    if (!space || ids.length < 2 || ids.length < space.size / 2) return null;
    return libraryGraph(this.db, this.modelId, space, ids, k);
  }

  /** Text / metadata search, visual ranking by examples, or both. */
  async search(query: SearchQuery): Promise<SearchAnswer> {
    return searchLibrary(
      {
        db: this.db,
        searchIndex: () => this.searchIndex(),
        exampleVector: async (file) => {
          const absolute = path.resolve(file);
          const row = this.files.byPath(absolute);
          const stored = row && row.status === 'indexed' ? this.searchIndex().vector(row.id) : undefined;
          if (row && stored) return { id: row.id, vector: stored };
          assertImageFile(absolute, 'example image');
          return { id: null, vector: this.toSearchSpace(await this.embedExternal({ path: absolute })) };
        },
      },
      query,
    );
  }

  tag(file: string, tags: string[]): string[] {
    this.assertWritable('tag photos');
    return new TagsRepository(this.db).tag(file, tags);
  }

  /** Removes user tags, and automatic tags of those names for good (re-annotation keeps them away). */
  untag(file: string, tags: string[]): string[] {
    this.assertWritable('remove tags');
    new AnnotationsRepository(this.db).reject(file, tags);
    return new TagsRepository(this.db).untag(file, tags);
  }

  // --- automatic annotation (issue 13) -------------------------------------------------------

  /** Whether this library annotates photos (objects and text) after embedding them. */
  get annotationOn(): boolean {
    return this.options.annotate ?? annotationEnabled();
  }

  /** Annotates every indexed photo that lacks a current annotation (resumable; one run at a time). */
  annotate(options: AnnotateOptions = {}): Promise<AnnotateSummary> {
    this.assertWritable('annotate photos');
    this.annotationQueue ??= new AnnotationQueue(this.db, { objects: this.annotationOn, faces: this.facesOn });
    return this.annotationQueue.run(options);
  }

  /** Whether this library finds faces and people (issue 18). */
  get facesOn(): boolean {
    return this.options.faces ?? (this.options.annotate !== false && facesEnabledByEnv() && this.people().enabled);
  }

  /** Turns face recognition on or off; off deletes every face, descriptor, person and name. */
  async setFaceRecognition(on: boolean): Promise<void> {
    // The queue was made for the old setting: a run in flight stops before anything is deleted.
    const queue = this.annotationQueue;
    this.annotationQueue = null;
    await queue?.close();
    this.people().setEnabled(on);
  }

  /** People: the setting, the people found, names and corrections. */
  people(): People {
    return new People(this.db);
  }

  /** A photo's automatic tags (with confidence and box) and the text read in it. */
  annotationsOf(file: string): PhotoAnnotations {
    return new AnnotationsRepository(this.db).of(file);
  }

  /** Tags to suggest for a word being typed: the user's, then automatic ones it reaches, with counts. */
  suggestTags(prefix: string, limit?: number): TagSuggestion[] {
    return suggestTags(this.db, prefix, limit);
  }

  /** The most frequent automatic tags, a cover each, and how far annotation has come. */
  things(limit?: number): { things: Thing[]; annotation: AnnotationProgress & { enabled: boolean } } {
    // A read-only library is never annotated: nothing more is coming.
    const enabled = this.annotationOn && !this.readOnly;
    return { things: frequentThings(this.db, limit), annotation: { enabled, ...annotationProgress(this.db, annotatorId()) } };
  }

  /** Sets a photo's caption (empty text removes it). */
  caption(file: string, text: string): void {
    this.assertWritable('caption photos');
    new TagsRepository(this.db).caption(file, text);
  }

  tags(): TagCount[] {
    return new TagsRepository(this.db).allTags();
  }

  tagsOf(file: string): string[] {
    return new TagsRepository(this.db).tagsOf(file);
  }

  captionOf(file: string): string | null {
    return new TagsRepository(this.db).captionOf(file);
  }

  // --- browsing ------------------------------------------------------------------------------

  listPhotos(query: PhotoQuery = {}): PhotoPage {
    return this.files.listPhotos(query);
  }

  /** The grid's layout data: id, path and dates of every photo of a view, in display order. */
  timelineRows(query: Omit<PhotoQuery, 'offset' | 'limit'> = {}) {
    return this.files.timelineRows(query);
  }

  photo(id: number): PhotoDetail | null {
    const row = this.files.byId(id);
    return row ? toDetail(row) : null;
  }

  folders(): FolderCount[] {
    return this.files.folders();
  }

  roots(): string[] {
    return this.files.roots();
  }

  /** True when `file` is inside one of the library's roots (what the UI may serve). */
  isInsideRoots(file: string): boolean {
    return this.roots().some((root) => isInside(path.resolve(file), root));
  }

  // --- lifecycle -----------------------------------------------------------------------------

  /** Starts the embedding workers on first need (opening a library for browsing stays instant). */
  pool(): Promise<WorkerPool> {
    this.poolPromise ??= WorkerPool.start({
      engine: { engine: this.options.engine ?? 'auto', model: this.modelSetting().model },
      workers: this.options.workers,
      thumbnailDir: this.thumbnailDir,
    });
    return this.poolPromise;
  }

  /**
   * While a model switch is being re-embedded, external query images must be embedded with the
   * serving (old) model to be comparable with the served vectors: a one-worker pool of it.
   */
  private servingPool(): Promise<WorkerPool> {
    if (!this.servingPoolPromise) {
      const serving = this.modelId;
      const { specs } = listManifests();
      const spec = [BUNDLED_SPEC, ...specs].find((s) => vectorModelId(s.id) === serving);
      if (!spec) {
        return Promise.reject(
          new Error(`cannot embed a query with the model being replaced (${serving}): its manifest is gone; run \`likeness index\` to finish re-embedding`),
        );
      }
      this.servingPoolPromise = WorkerPool.start({
        engine: { engine: this.options.engine ?? 'auto', model: spec.manifestPath ?? spec.id },
        workers: 1,
        thumbnailDir: this.thumbnailDir,
      });
    }
    return this.servingPoolPromise;
  }

  async close(): Promise<void> {
    await this.stopWatching();
    await this.annotationQueue?.close();
    if (this.poolPromise) await (await this.poolPromise.catch(() => null))?.close();
    if (this.servingPoolPromise) await (await this.servingPoolPromise.catch(() => null))?.close();
    await this.whiteningFit?.catch(() => undefined);
    await this.annBuild?.catch(() => undefined);
    this.db.close();
    this.readOnlyCopy?.dispose();
  }
}

/** A query or example image must be a regular file: reading a FIFO would wait for ever. */
function assertImageFile(file: string, what: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new Error(`${what} not found: ${file}`);
  }
  if (stat.isDirectory()) throw new Error(`${what} is a folder, not an image: ${file}`);
  if (!stat.isFile()) throw new Error(`${what} is not a regular file (a named pipe, socket or device), so it cannot be read as an image: ${file}`);
}

function folderStat(folder: string): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch {
    throw new Error(`folder not found: ${folder}`);
  }
  if (!stat.isDirectory()) throw new Error(`not a folder: ${folder}`);
  return stat;
}

/** Settles a crashed resolution's leftovers; a failure to (a read-only database) is said, not thrown. */
function settleInterruptedTrash(db: Db): RecoveryNote[] {
  try {
    return recoverInterruptedTrash(db);
  } catch (error) {
    return [{ path: '', outcome: 'unsettled', message: `an interrupted resolution could not be settled yet: ${(error as Error).message}` }];
  }
}
