/**
 * The Likeness engine as one object: a library database plus the workers that fill it and the
 * in-memory vector index that answers from it. The CLI, the web server and the Electron app are
 * thin fronts over this class; it imports nothing from Electron.
 *
 * A facade: each concept lives in its own folder and this class wires them. Models and their
 * embedding pools: embedding/library-models.ts; the search space, its whitening and refits:
 * search/search-state.ts; folders, index passes and the watcher: library/library-folders.ts;
 * tags and captions: text-search/tags-repository.ts. Here: the refusals of a read-only library,
 * and what one concept must tell another.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from './store/database.js';
import { privateCopyOf, ReadOnlyLibraryError, whyReadOnly, type PrivateCopy } from './store/read-only.js';
import { FilesRepository, toDetail, isInside } from './store/files-repository.js';
import type { WorkerPool } from './embedding/pool.js';
import type { EngineName } from './embedding/engine.js';
import { LibraryModels, type ModelInfo, type ModelSwitch } from './embedding/library-models.js';
import type { IndexerDeps, IndexOptions } from './library/indexer.js';
import { LibraryStore } from './library/library-store.js';
import { LibraryFolders } from './library/library-folders.js';
import type { Watcher, WatchOptions } from './watch/watcher.js';
import type { VectorIndex, Neighbour } from './search/vector-index.js';
import { AnnFiles } from './search/ann-files.js';
import { SearchState } from './search/search-state.js';
import { cacheDirFor, defaultDbPath, thumbnailDirFor } from './paths.js';
import { AnswerCache } from './duplicates/answer-cache.js';
import { findLibraryDuplicates, markNotDuplicates, resolveDuplicates } from './duplicates/duplicates-service.js';
import { undoLastTrash } from './trash/trash-service.js';
import { recoverInterruptedTrash, type RecoveryNote } from './trash/recovery.js';
import { loadThresholds, saveThresholds, type DuplicateThresholds } from './duplicates/thresholds.js';
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
import type { ClustersAnswer, ClustersQuery, DuplicatesAnswer, DuplicatesQuery, ResolveAnswer, ResolveRequest, SearchAnswer, SearchQuery, TagCount, UndoAnswer } from './types.js';
import type { FolderCount, IndexSummary, PhotoDetail, PhotoPage, PhotoQuery, RootState, SimilarAnswer, SimilarHit, StatusReport } from './types.js';

export type { ModelInfo, ModelSwitch } from './embedding/library-models.js';

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

export class Library {
  readonly dbPath: string;
  readonly thumbnailDir: string;
  readonly db: Db;
  readonly files: FilesRepository;
  /** Roots and file identity (moves, copies, offline state): the watcher's side of the store. */
  readonly store: LibraryStore;
  /**
   * Why this library cannot be changed (null when it can): its database is on a read-only folder
   * or file. It is then read from a private temporary copy (store/read-only.ts): search, similar,
   * duplicates and clusters answer; indexing and every change are refused with this reason.
   */
  readonly readOnly: string | null;
  /**
   * What a resolution interrupted by a crash had left half-done, finished or rolled back when
   * this library opened (in words, for the fronts to tell the user).
   */
  readonly interruptedTrash: RecoveryNote[];
  private readonly readOnlyCopy: PrivateCopy | null;
  private readonly libraryModels: LibraryModels;
  private readonly searchState: SearchState;
  private readonly libraryFolders: LibraryFolders;
  private readonly tagsRepo: TagsRepository;
  /** Duplicate answers kept for an unchanged library (duplicates/answer-cache.ts). */
  private readonly keptDuplicates: AnswerCache<DuplicatesAnswer>;
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
    this.tagsRepo = new TagsRepository(this.db);
    // A crashed resolution moves photos to settle: not from a copy whose journal is thrown away.
    this.interruptedTrash = this.readOnly ? [] : settleInterruptedTrash(this.db);
    // Search indexes built for a read-only library go with its copy.
    const cacheDir = this.readOnlyCopy ? this.readOnlyCopy.dir : cacheDirFor(dbPath);
    this.keptDuplicates = new AnswerCache(path.join(cacheDir, 'duplicates'));
    this.libraryModels = new LibraryModels(this.db, this.files, { engine: options.engine, workers: options.workers, thumbnailDir: this.thumbnailDir });
    const annFiles = new AnnFiles(this.db, this.db.name, path.join(cacheDir, 'search'));
    this.searchState = new SearchState(this.db, this.files, annFiles, () => this.libraryModels.servingId, options.annFrom);
    this.libraryFolders = new LibraryFolders(this.db, this.files, this.store, this.thumbnailDir, {
      indexer: () => this.indexerDeps(),
      afterPass: async () => {
        this.finishModelSwitchIfComplete();
        await this.updateSearchSpace();
      },
      drained: () => {
        if (this.annotationOn || this.facesOn) void this.annotate().catch((error) => process.stderr.write(`annotation: ${(error as Error).message}\n`));
      },
    });
  }

  static open(options: LibraryOptions = {}): Library {
    return new Library(path.resolve(options.dbPath ?? defaultDbPath()), options);
  }

  /** Refuses a change to a read-only library, saying why. */
  private assertWritable(action: string): void {
    if (this.readOnly) throw new ReadOnlyLibraryError(action, this.readOnly);
  }

  // --- models --------------------------------------------------------------------------------

  /** The model whose vectors this library searches (the previous one while a switch is re-embedded). */
  get modelId(): string {
    return this.libraryModels.servingId;
  }

  /** The model the library embeds with (its `model` setting; the bundled backbone by default). */
  get targetModelId(): string {
    return this.libraryModels.targetId;
  }

  /** Every model in the model folders (and the bundled backbone), with which one is in use. */
  models(): ModelInfo[] {
    return this.libraryModels.list();
  }

  /**
   * Chooses the library's model (a manifest path, or a manifest id / file stem in the model
   * folders). Nothing is re-embedded here: the next index or watch pass re-embeds the library
   * with it, while the old vectors keep answering queries until every file has a new vector.
   */
  async setModel(nameOrPath: string): Promise<ModelSwitch> {
    this.assertWritable('change the model');
    if (this.libraryFolders.watching) throw new Error('stop watching before changing the model (the watcher embeds with the current one)');
    await this.libraryModels.choose(nameOrPath);
    this.finishModelSwitchIfComplete();
    await this.updateSearchSpace();
    const target = this.targetModelId;
    return { target, serving: this.modelId, toReembed: this.files.countLackingVector(target) };
  }

  /** When the target model has every vector it starts serving, in a search space of its own. */
  private finishModelSwitchIfComplete(): void {
    const switched = this.libraryModels.finishSwitchIfComplete();
    if (switched) this.searchState.servingModelChanged(switched.stale);
  }

  // --- folders, indexing and watching --------------------------------------------------------

  /**
   * One pass over `folders` (which become roots): new and changed files are embedded, moved ones
   * keep their rows, vanished ones leave the index, unreachable roots are marked offline. While
   * the library is watched, the pass runs through the watcher (one writer at a time).
   */
  async index(folders: string[], options: IndexOptions = {}): Promise<IndexSummary> {
    this.assertWritable('index');
    return this.libraryFolders.index(folders, options);
  }

  /**
   * Adds a folder to the library. While watched, it is reconciled and watched at once (its
   * photos are embedded in the background); otherwise the next `index` pass picks it up.
   */
  async addRoot(folder: string, options: { polling?: boolean } = {}): Promise<RootState> {
    this.assertWritable('add a folder');
    return this.libraryFolders.addRoot(folder, options);
  }

  /** Removes a folder: its entries leave the index (unless another root covers them); the disk is untouched. */
  async removeRoot(folder: string): Promise<number> {
    this.assertWritable('remove a folder');
    return this.libraryFolders.removeRoot(folder);
  }

  /** Watch a root by polling (network drives, where file-system events do not arrive). */
  setRootPolling(folder: string, polling: boolean): void {
    this.assertWritable('change how a folder is watched');
    this.libraryFolders.setPolling(folder, polling);
  }

  rootsWithState(): RootState[] {
    return this.libraryFolders.rootsWithState();
  }

  /**
   * Reconciles every root with the disk (changes made while Likeness was not running), then
   * keeps the index current as files are added, changed, moved or deleted. Stop with
   * `stopWatching()` (or `close()`), which finishes the batch in flight.
   */
  async watch(options: WatchOptions = {}): Promise<Watcher> {
    this.assertWritable('watch the folders');
    return this.libraryFolders.watch(options);
  }

  async stopWatching(): Promise<void> {
    await this.libraryFolders.stopWatching();
  }

  private indexerDeps(): IndexerDeps {
    return {
      repo: this.files,
      store: this.store,
      pool: () => this.pool(),
      modelId: this.targetModelId,
      exclude: [cacheDirFor(this.dbPath)],
      onIndexed: (results, removed) => this.searchState.keepInStep(results, removed),
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
      const inSpace = indexed === undefined ? undefined : this.searchState.vectorOf(indexed);
      const stored = inSpace || indexed === undefined ? undefined : this.files.vectorOf(indexed, this.modelId, () => this.searchState.forgetDamaged([indexed]));
      let vector: Float32Array;
      if (inSpace) {
        vector = inSpace;
      } else if (stored) {
        vector = this.toSearchSpace(stored);
      } else {
        assertImageFile(absolute, 'query image');
        vector = this.toSearchSpace(await this.libraryModels.embedExternal({ path: absolute }));
      }
      const exclude = (inSpace || stored) && indexed !== undefined ? new Set([indexed]) : undefined;
      answers.push({ query: absolute, results: this.searchState.nearestTo(vector, k, exclude) });
    }
    return answers;
  }

  /** Reverse image search for bytes that are not a file (drag-and-drop, upload). */
  async similarToBuffer(image: Buffer, k = DEFAULT_K): Promise<SimilarHit[]> {
    const raw = await this.libraryModels.embedExternal({ bytes: new Uint8Array(image) });
    return this.searchState.nearestTo(this.toSearchSpace(raw), k);
  }

  /** The search-space (whitened, unit) vector of every indexed photo, by file id. */
  searchIndex(): VectorIndex {
    return this.searchState.searchIndex();
  }

  /** How `similar` searches now: an exact scan, or the HNSW index with an exact re-rank (at scale). */
  searchKind(): 'exact' | 'hnsw' {
    return this.searchState.searchKind();
  }

  /** Maps a raw vector of this library's model into the search space. */
  toSearchSpace(raw: Float32Array): Float32Array {
    return this.searchState.toSearchSpace(raw);
  }

  /** The k photos nearest a search-space vector by cosine (HNSW or exact, exact scores), before re-ranking. */
  candidates(vector: Float32Array, k: number, exclude?: Set<number>): Neighbour[] {
    return this.searchState.candidates(vector, k, exclude);
  }

  /**
   * After indexing: refits the whitening if due (storing its new space), then, at scale, builds
   * the HNSW index of the space. All heavy work runs in worker threads; the current space answers meanwhile.
   */
  async updateSearchSpace(): Promise<void> {
    await this.searchState.update();
  }

  // --- duplicates, clusters, text and hybrid search, tags (issue 4) --------------------------

  /** Duplicate groups (exact and near by default; `tier: 'similar'` adds similar shots). */
  async dupes(query: DuplicatesQuery = {}): Promise<DuplicatesAnswer> {
    return findLibraryDuplicates(this.searchState, query, this.keptDuplicates);
  }

  /** Sends each group's `trash` files to the trash, as one resolution that `undoLastResolve` reverts. */
  async resolveDupes(requests: ResolveRequest[]): Promise<ResolveAnswer> {
    this.assertWritable('resolve duplicates');
    const { removedIds, ...answer } = await resolveDuplicates(this.db, requests);
    this.searchState.remove(removedIds);
    return answer;
  }

  /** Puts the files of the last resolution back and re-enters them in the library. */
  async undoLastResolve(): Promise<UndoAnswer> {
    this.assertWritable('undo a resolution');
    const outcome = await undoLastTrash(this.db);
    this.searchState.keepInStep(
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
    return clusterLibrary(this.searchState, query);
  }

  /** Text / metadata search, visual ranking by examples, or both. */
  async search(query: SearchQuery): Promise<SearchAnswer> {
    const exampleVector = async (file: string) => {
      const absolute = path.resolve(file);
      const row = this.files.byPath(absolute);
      const stored = row && row.status === 'indexed' ? this.searchIndex().vector(row.id) : undefined;
      if (row && stored) return { id: row.id, vector: stored };
      assertImageFile(absolute, 'example image');
      return { id: null, vector: this.toSearchSpace(await this.libraryModels.embedExternal({ path: absolute })) };
    };
    return searchLibrary({ db: this.db, searchIndex: () => this.searchIndex(), exampleVector }, query);
  }

  tag(file: string, tags: string[]): string[] {
    this.assertWritable('tag photos');
    return this.tagsRepo.tag(file, tags);
  }

  /** Removes user tags, and automatic tags of those names for good (re-annotation keeps them away). */
  untag(file: string, tags: string[]): string[] {
    this.assertWritable('remove tags');
    new AnnotationsRepository(this.db).reject(file, tags);
    return this.tagsRepo.untag(file, tags);
  }

  /** Sets a photo's caption (empty text removes it). */
  caption(file: string, text: string): void {
    this.assertWritable('caption photos');
    this.tagsRepo.caption(file, text);
  }

  tags(): TagCount[] {
    return this.tagsRepo.allTags();
  }

  tagsOf(file: string): string[] {
    return this.tagsRepo.tagsOf(file);
  }

  captionOf(file: string): string | null {
    return this.tagsRepo.captionOf(file);
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
    return this.libraryModels.pool();
  }

  async close(): Promise<void> {
    await this.stopWatching();
    await this.annotationQueue?.close();
    await this.libraryModels.close();
    await this.searchState.settle();
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

/** Settles a crashed resolution's leftovers; a failure to (a read-only database) is said, not thrown. */
function settleInterruptedTrash(db: Db): RecoveryNote[] {
  try {
    return recoverInterruptedTrash(db);
  } catch (error) {
    return [{ path: '', outcome: 'unsettled', message: `an interrupted resolution could not be settled yet: ${(error as Error).message}` }];
  }
}
