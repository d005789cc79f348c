/**
 * The Likeness engine as one object: a library database plus the workers that fill it and the
 * in-memory vector index that answers from it. The CLI, the web server and the Electron app are
 * thin fronts over this class; it imports nothing from Electron.
 *
 * A facade: each concept lives in its own folder and this class wires them. Models and their
 * embedding pools: embedding/library-models.ts; the search space, its whitening and refits:
 * search/search-state.ts (images as queries: search/query-images.ts); folders, index passes and
 * the watcher: library/library-folders.ts; duplicates: duplicates/library-duplicates.ts;
 * annotation: annotation/library-annotation.ts; tags and captions: text-search/tags-repository.ts.
 * Here: the refusals of a read-only library, and what one concept must tell another.
 */
import path from 'node:path';
import type { Db } from './store/database.js';
import { openLibraryDb, ReadOnlyLibraryError, type PrivateCopy } from './store/read-only.js';
import { FilesRepository, toDetail, isInside } from './store/files-repository.js';
import type { WorkerPool } from './embedding/pool.js';
import type { EngineName } from './embedding/engine.js';
import { LibraryModels, type ModelInfo, type ModelSwitch } from './embedding/library-models.js';
import type { IndexOptions } from './library/indexer.js';
import { LibraryStore } from './library/library-store.js';
import { LibraryFolders } from './library/library-folders.js';
import type { Watcher, WatchOptions } from './watch/watcher.js';
import type { VectorIndex, Neighbour } from './search/vector-index.js';
import { SearchState } from './search/search-state.js';
import { QueryImages } from './search/query-images.js';
import { annDirIn, cacheDirFor, defaultDbPath, thumbnailDirFor } from './paths.js';
import { LibraryDuplicates } from './duplicates/library-duplicates.js';
import type { DuplicateThresholds } from './duplicates/thresholds.js';
import type { RecoveryNote } from './trash/recovery.js';
import { clusterLibrary } from './clusters/clusters-service.js';
import { clustersOffThread, dupesOffThread, type ReaderPlace } from './library/answers-off-thread.js';
import { searchLibrary } from './text-search/search-service.js';
import { TagsRepository } from './text-search/tags-repository.js';
import { SettingsRepository } from './store/settings-repository.js';
import type { AnnotateOptions, AnnotateSummary } from './annotation/annotation-queue.js';
import { LibraryAnnotation } from './annotation/library-annotation.js';
import { AnnotationsRepository, type PhotoAnnotations } from './annotation/annotations-repository.js';
import type { People } from './people/people.js';
import { suggestTags, type TagSuggestion } from './annotation/tag-suggestions.js';
import type { AnnotationProgress, Thing } from './annotation/things.js';
import type { PhotoClustersAnswer, PhotoClustersQuery, DuplicatesAnswer, DuplicatesQuery, ResolveAnswer, ResolveRequest, TextSearchAnswer, TextSearchQuery, TagCount, UndoAnswer } from './types.js';
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
  /**
   * Duplicates and clusters answered in a worker thread (library/answers-off-thread.ts): for the
   * fronts that serve, so that the main thread stays free and the memory of a run goes with it.
   */
  answerOffThread?: boolean;
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
  private readonly duplicates: LibraryDuplicates;
  private readonly queryImages: QueryImages;
  private readonly annotation: LibraryAnnotation;

  /** Where a worker thread finds this library to answer from its stored search space. */
  private readonly readerPlace: () => ReaderPlace | null;

  private constructor(dbPath: string, options: LibraryOptions) {
    this.dbPath = dbPath;
    this.thumbnailDir = thumbnailDirFor(dbPath);
    ({ db: this.db, readOnly: this.readOnly, copy: this.readOnlyCopy } = openLibraryDb(dbPath));
    this.files = new FilesRepository(this.db);
    this.store = new LibraryStore(this.db);
    this.tagsRepo = new TagsRepository(this.db);
    // Search indexes and kept answers of a read-only library go with its copy.
    const cacheDir = this.readOnlyCopy ? this.readOnlyCopy.dir : cacheDirFor(dbPath);
    const pools = { engine: options.engine, workers: options.workers, thumbnailDir: this.thumbnailDir };
    this.libraryModels = new LibraryModels(this.db, this.files, pools, (stale) => this.searchState.servingModelChanged(stale));
    this.searchState = new SearchState(this.db, this.files, annDirIn(cacheDir), () => this.libraryModels.servingId, options.annFrom);
    this.readerPlace = () => (options.answerOffThread ? { dbPath: this.db.name, cacheDir, modelId: this.modelId, annFrom: options.annFrom } : null);
    this.duplicates = new LibraryDuplicates(this.db, this.searchState, cacheDir, this.readOnly !== null);
    this.interruptedTrash = this.duplicates.interrupted;
    this.queryImages = new QueryImages(this.files, this.searchState, (item) => this.libraryModels.embedExternal(item));
    this.annotation = new LibraryAnnotation(this.db, options);
    const stores = { db: this.db, files: this.files, store: this.store, thumbnailDir: this.thumbnailDir, exclude: [cacheDirFor(dbPath)] };
    this.libraryFolders = new LibraryFolders(stores, this.libraryModels, this.searchState, () => {
      if (this.annotationOn || this.facesOn) void this.annotate().catch((error) => process.stderr.write(`annotation: ${(error as Error).message}\n`));
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

  /** Chooses the library's model; the next pass re-embeds with it, the old vectors answering until then. */
  async setModel(nameOrPath: string): Promise<ModelSwitch> {
    this.assertWritable('change the model');
    if (this.libraryFolders.watching) throw new Error('stop watching before changing the model (the watcher embeds with the current one)');
    await this.libraryModels.choose(nameOrPath);
    this.libraryModels.finishSwitchIfComplete();
    await this.updateSearchSpace();
    const target = this.targetModelId;
    return { target, serving: this.modelId, toReembed: this.files.countLackingVector(target) };
  }

  // --- folders, indexing and watching --------------------------------------------------------

  /** One pass over `folders` (which become roots); while watched, through the watcher (library-folders.ts). */
  async index(folders: string[], options: IndexOptions = {}): Promise<IndexSummary> {
    this.assertWritable('index');
    return this.libraryFolders.index(folders, options);
  }

  /** Adds a folder: while watched, reconciled and watched at once; otherwise the next `index` pass picks it up. */
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

  /** Reconciles every root with the disk, then keeps the index current; `stopWatching()` (or `close()`) ends it. */
  async watch(options: WatchOptions = {}): Promise<Watcher> {
    this.assertWritable('watch the folders');
    return this.libraryFolders.watch(options);
  }

  /** Reconciles every root with the disk again, through the running watcher (Watcher.rescan). */
  rescan(): Promise<void> {
    return this.libraryFolders.watching?.rescan() ?? Promise.reject(new Error('the library is not being watched'));
  }

  async stopWatching(): Promise<void> {
    await this.libraryFolders.stopWatching();
  }

  status(): StatusReport {
    return { ...this.files.counts(), failures: this.files.failures(), ...(this.readOnly ? { readOnly: this.readOnly } : {}) };
  }

  // --- find similar --------------------------------------------------------------------------

  /** For each query (an indexed photo, or any image file), the k most similar photos, best first (query-images.ts). */
  similar(queries: string[], k = DEFAULT_K): Promise<SimilarAnswer[]> {
    return this.queryImages.similar(queries, k);
  }

  /** Reverse image search for bytes that are not a file (drag-and-drop, upload). */
  similarToBuffer(image: Buffer, k = DEFAULT_K): Promise<SimilarHit[]> {
    return this.queryImages.similarToBuffer(image, k);
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

  /** After indexing: refits the whitening if due, then builds the HNSW index at scale, off-thread (search-state.ts). */
  async updateSearchSpace(): Promise<void> {
    await this.searchState.update();
  }

  // --- duplicates, clusters, text and hybrid search, tags (issue 4) --------------------------

  /** Duplicate groups (exact and near by default; `tier: 'similar'` adds similar shots). */
  async dupes(query: DuplicatesQuery = {}): Promise<DuplicatesAnswer> {
    const place = this.readerPlace();
    if (!place) return this.duplicates.find(query);
    this.searchIndex(); // a fit that is due is made (or started) by the owner: a reader never fits
    return dupesOffThread(place, query);
  }

  /** Sends each group's `trash` files to the trash, as one resolution that `undoLastResolve` reverts. */
  async resolveDupes(requests: ResolveRequest[]): Promise<ResolveAnswer> {
    this.assertWritable('resolve duplicates');
    return this.duplicates.resolve(requests);
  }

  /** Puts the files of the last resolution back and re-enters them in the library. */
  async undoLastResolve(): Promise<UndoAnswer> {
    this.assertWritable('undo a resolution');
    return this.duplicates.undoLast();
  }

  /** The duplicate thresholds (calibrated defaults, or what the user set; kept in the database). */
  duplicateThresholds(): DuplicateThresholds {
    return this.duplicates.thresholds();
  }

  setDuplicateThresholds(patch: Partial<DuplicateThresholds>): DuplicateThresholds {
    this.assertWritable('change the duplicate thresholds');
    return this.duplicates.setThresholds(patch);
  }

  /** Reference folders: their photos are always the keeper of their group, never trashed by a resolve. */
  referenceFolders(): string[] {
    return this.duplicates.referenceFolders();
  }

  /** Replaces the reference folders (absolute paths; they need not be library folders yet). */
  setReferenceFolders(folders: string[]): string[] {
    this.assertWritable('change the reference folders');
    return this.duplicates.setReferenceFolders(folders);
  }

  /** Remembers that these photos are not duplicates of one another (never grouped again). */
  notDuplicates(ids: number[]): number {
    this.assertWritable('mark photos as not duplicates');
    return this.duplicates.notDuplicates(ids);
  }

  /** Clusters of look-alike photos (of the library, a folder, or given photos), largest first. */
  async clusters(query: PhotoClustersQuery = {}): Promise<PhotoClustersAnswer> {
    const place = this.readerPlace();
    if (!place) return clusterLibrary(this.searchState, query);
    this.searchIndex();
    return clustersOffThread(place, query);
  }

  /** Text / metadata search, visual ranking by examples, or both. */
  async search(query: TextSearchQuery): Promise<TextSearchAnswer> {
    return searchLibrary({ db: this.db, searchIndex: () => this.searchIndex(), exampleVector: (file) => this.queryImages.exampleVector(file) }, query);
  }

  /** Adds tags to a photo (by id; the CLI finds it by path with `photoAt`); returns its tags afterwards. */
  tag(id: number, tags: string[]): string[] {
    this.assertWritable('tag photos');
    return this.tagsRepo.tag(id, tags);
  }

  /** Removes user tags, and automatic tags of those names for good (re-annotation keeps them away). */
  untag(id: number, tags: string[]): string[] {
    this.assertWritable('remove tags');
    new AnnotationsRepository(this.db).reject(id, tags);
    return this.tagsRepo.untag(id, tags);
  }

  /** Sets a photo's caption (empty text removes it). */
  caption(id: number, text: string): void {
    this.assertWritable('caption photos');
    this.tagsRepo.caption(id, text);
  }

  tags(): TagCount[] {
    return this.tagsRepo.allTags();
  }

  tagsOf(id: number): string[] {
    return this.tagsRepo.tagsOf(id);
  }

  captionOf(id: number): string | null {
    return this.tagsRepo.captionOf(id);
  }

  // --- automatic annotation (issue 13) -------------------------------------------------------

  /** Whether this library annotates photos (objects and text) after embedding them. */
  get annotationOn(): boolean {
    return this.annotation.objectsOn;
  }

  /** Annotates every indexed photo that lacks a current annotation (resumable; one run at a time). */
  annotate(options: AnnotateOptions = {}): Promise<AnnotateSummary> {
    this.assertWritable('annotate photos');
    return this.annotation.run(options);
  }

  /** Whether this library finds faces and people (issue 18). */
  get facesOn(): boolean {
    return this.annotation.facesOn;
  }

  /** Turns face recognition on or off; off deletes every face, descriptor, person and name. */
  setFaceRecognition(on: boolean): Promise<void> {
    return this.annotation.setFaceRecognition(on);
  }

  /** The library's settings table: the core's settings and the fronts' preferences (main/api/settings.ts). */
  settings(): SettingsRepository {
    return new SettingsRepository(this.db);
  }

  /** People: the setting, the people found, names and corrections. */
  people(): People {
    return this.annotation.people();
  }

  /** A photo's automatic tags (with confidence and box) and the text read in it. */
  annotationsOf(id: number): PhotoAnnotations {
    return new AnnotationsRepository(this.db).of(id);
  }

  /** Tags to suggest for a word being typed: the user's, then automatic ones it reaches, with counts. */
  suggestTags(prefix: string, limit?: number): TagSuggestion[] {
    return suggestTags(this.db, prefix, limit);
  }

  /** The most frequent automatic tags, a cover each, and how far annotation has come. */
  things(limit?: number): { things: Thing[]; annotation: AnnotationProgress & { enabled: boolean } } {
    // A read-only library is never annotated: nothing more is coming.
    return this.annotation.things(limit, this.annotationOn && !this.readOnly);
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

  /** The photo at this path (made absolute), or null: how the CLI turns the paths it is given into ids. */
  photoAt(file: string): PhotoDetail | null {
    const row = this.files.byPath(path.resolve(file));
    return row ? toDetail(row) : null;
  }

  /** Many photos in one query, by id (ids not in the library are left out; order not kept). */
  photos(ids: number[]): PhotoDetail[] {
    return this.files.byIds(ids).map(toDetail);
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

  /** Chooses the engine after opening (a launch's saved setting), before the workers start. */
  useEngine(engine: EngineName): void {
    this.libraryModels.useEngine(engine);
  }

  /** Starts the embedding workers on first need (opening a library for browsing stays instant). */
  pool(): Promise<WorkerPool> {
    return this.libraryModels.pool();
  }

  async close(): Promise<void> {
    await this.stopWatching();
    await this.annotation.close();
    await this.libraryModels.close();
    await this.searchState.settle();
    this.db.close();
    this.readOnlyCopy?.dispose();
  }
}
