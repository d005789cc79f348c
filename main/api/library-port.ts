/**
 * What the API needs from the core `Library` (main/core/library.ts), written as a structural
 * interface so the handlers can be tested against small stubs: a handler whose core method a stub
 * leaves out answers `unavailable`.
 *
 * The optional methods are typed loosely on purpose (their exact shapes belong to the core); the
 * adapters in main/api/adapters.ts turn whatever they return into the contract's shapes.
 */
import type {
  FolderCount,
  IndexProgress,
  IndexSummary,
  PhotoDetail,
  PhotoPage,
  PhotoQuery,
  RootState,
  SimilarAnswer,
  SimilarHit,
  StatusReport,
} from '../core/types.js';
import type { TagSuggestion, ThingsAnswer } from '../../preload/contract.js';

export interface TimelineRow {
  id: number;
  path: string;
  takenAt: string | null;
  mtimeMs: number;
}

/** The watcher's events, as far as the API relays them (see main/core/watch/watcher.ts). */
export interface WatchEventLike {
  type: string;
  root?: string;
  reason?: string;
  pending?: number;
}

export interface IndexOptions {
  onProgress?: (p: IndexProgress) => void;
  signal?: AbortSignal;
}

/** Loose function type for core features that may not exist yet. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Maybe = ((...args: any[]) => any) | undefined;

export interface CoreLibrary {
  index(folders: string[], opts?: IndexOptions): Promise<IndexSummary>;
  similar(queries: string[], k?: number): Promise<SimilarAnswer[]>;
  similarToBuffer(image: Buffer, k?: number): Promise<SimilarHit[]>;
  status(): StatusReport;
  listPhotos(q: PhotoQuery): PhotoPage;
  photo(id: number): PhotoDetail | null;
  folders(): FolderCount[];
  roots(): string[];
  close(): Promise<void>;

  /**
   * Optional fast path for the grid's layout: only id, path and dates of every photo of a view, in
   * display order. Without it the timeline pages through listPhotos (whole rows: ~8× slower at
   * 100k photos).
   */
  timelineRows?: (q: Omit<PhotoQuery, 'offset' | 'limit'>) => TimelineRow[];

  // Issue 4: duplicates, clusters, search, tags, trash + undo.
  dupes?: Maybe;
  resolveDupes?: Maybe;
  undoLastResolve?: Maybe;
  notDuplicates?: Maybe;
  clusters?: Maybe;
  search?: Maybe;
  tag?: Maybe;
  untag?: Maybe;
  tags?: Maybe;
  tagsOf?: Maybe;
  caption?: Maybe;
  captionOf?: Maybe;
  /** Issue 13: automatic tags and the text read in a photo. */
  annotationsOf?: (file: string) => { auto: { tag: string; score: number }[]; text: string };
  /** Issue 18: people (faces, names, corrections) and the face recognition setting. */
  people?: () => import('../core/people/people.js').People;
  setFaceRecognition?: (on: boolean) => Promise<void>;
  /** Whether the core finds faces after indexing (they run in the annotation queue). */
  facesOn?: boolean;
  /** Whether the core annotates photos (objects, text) after indexing them, and the run that does. */
  annotationOn?: boolean;
  annotate?: () => Promise<unknown>;
  /** Tags for a word being typed (user tags, then automatic ones), with counts. */
  suggestTags?: (prefix: string, limit?: number) => TagSuggestion[];
  /** The most frequent automatic tags (a cover photo id each) and how far annotation has come. */
  things?: (limit?: number) => { things: { tag: string; count: number; coverId: number }[]; annotation: ThingsAnswer['annotation'] };
  referenceFolders?: () => string[];
  setReferenceFolders?: (folders: string[]) => string[];
  /** Why the library cannot be changed (a read-only database folder), or null when it can. */
  readOnly?: string | null;
  duplicateThresholds?: () => { near: number; similarCosine: number; similarSeconds: number };
  setDuplicateThresholds?: (patch: Partial<{ near: number; similarCosine: number; similarSeconds: number }>) => {
    near: number;
    similarCosine: number;
    similarSeconds: number;
  };

  // Issue 3: roots management and watching.
  addRoot?: Maybe;
  removeRoot?: Maybe;
  watch?: (options: { onEvent?: (event: WatchEventLike) => void; onProgress?: (p: IndexProgress) => void }) => Promise<unknown>;
  stopWatching?: () => Promise<void>;
  rootsWithState?: () => Pick<RootState, 'path' | 'online' | 'offlineSince' | 'watched' | 'indexed' | 'pending' | 'failed'>[];
}
