/**
 * The one contract between the UI and the app: every call the renderer can make, its request and
 * its response, and the events pushed to the renderer. Pure types plus one list of names — no Node,
 * no Electron, no DOM — so the Electron main process, the preload, the HTTP server and the React
 * renderer all compile against the same file.
 *
 * Bindings: Electron IPC (`ipcMain.handle('likeness:<call>')`, see main/electron/ipc.ts) and HTTP
 * (`POST /api/<call>`, see main/server/server.ts). Both hand the raw request to the same
 * dispatcher (main/api/dispatch.ts), which validates it with the zod schema of that call.
 */
import type {
  FolderCount,
  Failure,
  IndexProgress,
  IndexSummary,
  PhotoDetail,
  PhotoPage,
  PhotoQuery,
  PhotoSort,
  PhotoSummary,
  TagCount,
} from '../main/core/types.js';

export type {
  FolderCount,
  Failure,
  IndexProgress,
  IndexSummary,
  PhotoDetail,
  PhotoPage,
  PhotoQuery,
  PhotoSort,
  PhotoSummary,
  TagCount,
};

// ---------------------------------------------------------------------------------------------
// Shapes used by the calls

export type EngineChoice = 'auto' | 'onnx' | 'tfjs';
export type AppMode = 'electron' | 'web';

export interface AppInfo {
  name: string;
  version: string;
  mode: AppMode;
  dbPath: string;
  /** Contract calls this host answers: all but the native ones it lacks (the web mode has none). */
  available: CallName[];
  platform: string;
}

export interface IndexingState {
  /** Photos are being scanned or embedded right now. */
  running: boolean;
  /** The roots are being watched: changes on disk are indexed as they happen. */
  watching: boolean;
  /** Latest progress of the running pass (null when idle). */
  progress: IndexProgress | null;
  /** Summary of the last finished pass. */
  last: (IndexSummary & { finishedAt: string }) | null;
  /** Why the last pass stopped early, if it did. */
  error: string | null;
}

export interface RootInfo {
  path: string;
  /** False while the folder cannot be reached (unplugged drive); its photos stay in the library. */
  online: boolean;
  offlineSince: number | null;
  watched: boolean;
  indexed: number;
  pending: number;
  failed: number;
}

export interface LibraryStatus {
  indexed: number;
  pending: number;
  failed: number;
  failures: Failure[];
  roots: string[];
  /** Per-root state. */
  rootDetails: RootInfo[];
  indexing: IndexingState;
  /** Why the library cannot be changed, when it cannot (its database is on a read-only folder): indexing and changes are off. */
  readOnly?: string;
}

export interface PhotoInfo extends PhotoDetail {
  tags: string[];
  /** The user's caption (kept in the library database, never written into the file). */
  caption?: string | null;
  /** Objects the detector found (its confidence, 0–1), a user's removals left out. */
  auto?: { tag: string; score: number }[];
  /** The text read in the photo (OCR), one line per line found. */
  text?: string;
}

export type TimelineGrouping = 'month' | 'folder' | 'none';

export interface TimelineQuery {
  folder?: string;
  sort?: PhotoSort;
  order?: 'asc' | 'desc';
}

export interface TimelineGroup {
  /** Stable key ("2024-05", a folder path, or "all"). */
  key: string;
  /** Display label ("May 2024", folder name, "All photos"). */
  label: string;
  /** Index in `ids` of the group's first photo. */
  start: number;
  count: number;
}

/** Every photo id of a view in display order, with its groups: enough to lay out a 100k grid. */
export interface Timeline {
  total: number;
  ids: number[];
  groups: TimelineGroup[];
  grouping: TimelineGrouping;
}

export interface RankedPhoto {
  photo: PhotoSummary;
  /** Similarity in [−1, 1] (cosine in the whitened embedding space); higher is closer. */
  score: number;
  /** What the score means: the same picture, or how alike compared with the best match. */
  meaning?: 'copy' | 'very similar' | 'similar';
}

export interface SimilarResult {
  /** The query photos (empty for an uploaded image). */
  queries: PhotoSummary[];
  results: RankedPhoto[];
  /** How many of `results` (from the first) are similar; the rest are shown only on request. */
  similarCount?: number;
}

/** exact: the same bytes; near: the same picture re-encoded, resized, cropped or brightened;
 *  similar: another shot of the same moment (bursts). */
export type DupeTier = 'exact' | 'near' | 'similar';

export interface DupeEvidence {
  /** The full, human-readable reason, as the core words it. */
  label: string;
  /** The same as short facts, one per signal ("Similarity 99%", "dHash 2/64", "4 s apart"). */
  details: string[];
  /** Which signal it comes from. */
  kind: string;
  /** The photos it relates (keeper first), when it is about a pair. */
  ids?: [number, number];
  value?: number;
}

export interface DupeMember extends PhotoSummary {
  format: string | null;
}

export interface DupeGroup {
  /** Stable within one answer; resolves reference photo ids, not this key. */
  key: string;
  tier: DupeTier;
  keeperId: number;
  /** Why this one is suggested as keeper ("largest resolution", "has EXIF"). */
  keeperReason: string | null;
  members: DupeMember[];
  evidence: DupeEvidence[];
}

export interface DupesQuery {
  tiers?: DupeTier[];
  folder?: string;
}

export interface DupesAnswer {
  groups: DupeGroup[];
}

export interface ResolveDecision {
  keep: number[];
  trash: number[];
}

export interface ResolveResult {
  trashed: number;
  /** Where the files went ("the trash", "the Recycle Bin", or the folder that stands in for it). */
  destination: string;
  canUndo: boolean;
  /** Files that could not be moved, and why (they stay in the library). */
  failed: Failure[];
}

export interface UndoResult {
  restored: number;
  paths: string[];
  /** Files that could not be put back, and why (e.g. Windows: restore from the Recycle Bin). */
  failed: Failure[];
}

export interface ClustersQuery {
  /** Only photos under this folder. */
  folder?: string;
  /** Smallest cluster reported (default from the settings). */
  minSize?: number;
  /** Granularity: finer (tighter groups), default, coarser (larger groups), or a number 0.5–2. */
  level?: ClusterLevel;
}

export type ClusterLevel = 'finer' | 'default' | 'coarser' | number;

export interface Cluster {
  id: number;
  label: string | null;
  size: number;
  representative: PhotoSummary;
  /** Every member id, representative first. */
  memberIds: number[];
}

export interface ClustersAnswer {
  clusters: Cluster[];
}

export interface SearchQuery {
  text?: string;
  folder?: string;
  /** ISO dates (YYYY-MM-DD), inclusive. */
  from?: string;
  to?: string;
  tags?: string[];
  /** Photo ids for "more like these": combined with the text when both are given. */
  like?: number[];
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  photo: PhotoSummary;
  score: number | null;
  /** What matched ("filename", "tag: beach", "folder", "similar"). */
  matched: string[];
}

export interface SearchAnswer {
  total: number;
  hits: SearchHit[];
}

export interface Settings {
  engine: EngineChoice;
  /** The core's duplicate thresholds. */
  duplicates: DuplicateSettings;
  clusters: {
    /** Smallest cluster shown. */
    minSize: number;
  };
  /** How many results "Find similar" returns. */
  similarCount: number;
  /** Folders whose photos are always the ones kept in a duplicate group (never trashed by a resolve). */
  referenceFolders: string[];
}

export interface DuplicateSettings {
  /** Combined hash distance under which two photos are the same picture re-encoded (0.10–0.40). */
  near: number;
  /** Minimum similarity (cosine) of two shots of the same moment (0.60–0.98). */
  similarCosine: number;
  /** How far apart in time two shots of the same moment can be (seconds, from EXIF). */
  similarSeconds: number;
}

export type SettingsPatch = {
  engine?: EngineChoice;
  duplicates?: Partial<DuplicateSettings>;
  clusters?: Partial<Settings['clusters']>;
  similarCount?: number;
  referenceFolders?: string[];
};

/** A tag the search box suggests for the word being typed. */
export interface TagSuggestion {
  tag: string;
  /** user: typed by the user; auto: found by the object detector. */
  kind: 'user' | 'auto';
  /** Photos carrying it. */
  count: number;
  /** The everyday word typed, when it is not the tag itself ("people" for person). */
  via?: string;
}

/** One of the library's "things": an automatic tag, how many photos carry it, and a cover photo. */
export interface ThingInfo {
  tag: string;
  count: number;
  cover: PhotoSummary;
}

export interface ThingsAnswer {
  things: ThingInfo[];
  /** How far automatic annotation has come (more things appear while photos are pending). */
  annotation: { enabled: boolean; annotated: number; pending: number };
}

/** The full check of the library database (Settings → Check library), run off the main thread. */
export interface DatabaseCheck {
  running: boolean;
  /** structure: SQLite's integrity check (no count); vectors: each stored vector tested. */
  progress: { phase: 'structure' | 'vectors'; done: number; total: number } | null;
  /** The finished check's findings (null until one has finished). */
  report: {
    ok: boolean;
    /** SQLite's findings about the file's structure (empty when sound). */
    structure: string[];
    vectorsChecked: number;
    damaged: { path: string; reason: string }[];
    /** What to do, when something is wrong (photos are never touched). */
    advice: string | null;
    readOnly?: string;
  } | null;
  /** Why the check could not run. */
  error: string | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface PhotoMenuRequest {
  ids: number[];
}

export type PhotoMenuAction = 'open' | 'similar' | 'reveal' | 'copy-path' | null;

// ---------------------------------------------------------------------------------------------
// People (issue 18)

/** [x, y, width, height] as fractions of the (oriented) photo. */
export type FaceBox = [number, number, number, number];

export interface PersonCard {
  id: number;
  name: string | null;
  /** Photos the person is in. */
  count: number;
  cover: { photoId: number; faceId: number; box: FaceBox };
}

export interface PersonPhotos extends PersonCard {
  faces: { photoId: number; faceId: number; box: FaceBox }[];
}

export interface PeopleAnswer {
  /** Face recognition on (the user's setting). */
  enabled: boolean;
  /** Named people first, then the others by size (each in 2+ photos). */
  people: PersonCard[];
}

export interface PhotoFaceInfo {
  faceId: number;
  box: FaceBox;
  personId: number | null;
  personName: string | null;
}

// ---------------------------------------------------------------------------------------------
// The calls

type Empty = Record<string, never>;

/** The largest image a reverse image search takes (the file's bytes). */
export const MAX_IMAGE_BYTES = 48 * 1024 * 1024;

/** Request and response of every call. */
export interface Contract {
  appInfo: { req: Empty; res: AppInfo };
  status: { req: Empty; res: LibraryStatus };
  listPhotos: { req: PhotoQuery; res: PhotoPage };
  timeline: { req: TimelineQuery; res: Timeline };
  photo: { req: { id: number }; res: PhotoInfo | null };
  photos: { req: { ids: number[] }; res: PhotoSummary[] };
  folders: { req: Empty; res: FolderCount[] };
  similar: { req: { ids: number[]; k?: number }; res: SimilarResult };
  /** Reverse image search: `image` is the file's bytes, sent as they are (see UPLOAD_FIELD). */
  similarToImage: { req: { image: Uint8Array; k?: number }; res: SimilarResult };
  dupes: { req: DupesQuery; res: DupesAnswer };
  resolveDupes: { req: { decisions: ResolveDecision[] }; res: ResolveResult };
  undoResolve: { req: Empty; res: UndoResult };
  notDuplicates: { req: { ids: number[] }; res: { ok: true } };
  clusters: { req: ClustersQuery; res: ClustersAnswer };
  search: { req: SearchQuery; res: SearchAnswer };
  tags: { req: Empty; res: TagCount[] };
  tag: { req: { ids: number[]; tags: string[] }; res: { ok: true } };
  untag: { req: { ids: number[]; tags: string[] }; res: { ok: true } };
  /** Sets a photo's caption; empty text removes it. */
  caption: { req: { id: number; text: string }; res: { ok: true } };
  people: { req: Empty; res: PeopleAnswer };
  person: { req: { id: number }; res: PersonPhotos };
  /** Empty name: the person becomes unnamed again. */
  namePerson: { req: { id: number; name: string }; res: PersonCard };
  /** Merges every listed person into the first. */
  mergePeople: { req: { ids: number[] }; res: PersonCard };
  /** "Not this person": the face leaves its person for good. */
  removeFace: { req: { faceId: number }; res: { ok: true } };
  photoFaces: { req: { id: number }; res: PhotoFaceInfo[] };
  /** Off deletes every face, descriptor, person and name. */
  setFaceRecognition: { req: { enabled: boolean }; res: { enabled: boolean } };
  roots: { req: Empty; res: string[] };
  addRoot: { req: { path: string }; res: string[] };
  removeRoot: { req: { path: string }; res: string[] };
  startIndexing: { req: Empty; res: IndexingState };
  cancelIndexing: { req: Empty; res: IndexingState };
  settings: { req: Empty; res: Settings };
  updateSettings: { req: SettingsPatch; res: Settings };
  /** Tags to suggest for the word being typed in the search box (user tags first, with counts). */
  suggestTags: { req: { prefix: string; limit?: number }; res: { suggestions: TagSuggestion[] } };
  /** The most frequent automatic tags, each with a cover photo. */
  things: { req: { limit?: number }; res: ThingsAnswer };
  /** Starts the full check of the library database (answers at once; poll `databaseCheck`). */
  checkDatabase: { req: Empty; res: DatabaseCheck };
  databaseCheck: { req: Empty; res: DatabaseCheck };
  /** Electron only: shows the native context menu for photos and says which item was chosen. */
  photoMenu: { req: PhotoMenuRequest; res: { action: PhotoMenuAction } };
  /** Electron only: native folder picker (web mode answers `unsupported`). */
  pickFolder: { req: Empty; res: { path: string | null } };
  /** Electron only: shows the file in the system file manager. */
  reveal: { req: { id: number }; res: { ok: true } };
}

export type CallName = keyof Contract;
export type Req<K extends CallName> = Contract[K]['req'];
export type Res<K extends CallName> = Contract[K]['res'];

/** Every call name, once. The compile-time check below keeps it in step with `Contract`. */
export const CALL_NAMES = [
  'appInfo',
  'status',
  'listPhotos',
  'timeline',
  'photo',
  'photos',
  'folders',
  'similar',
  'similarToImage',
  'dupes',
  'resolveDupes',
  'undoResolve',
  'notDuplicates',
  'clusters',
  'search',
  'tags',
  'tag',
  'untag',
  'caption',
  'people',
  'person',
  'namePerson',
  'mergePeople',
  'removeFace',
  'photoFaces',
  'setFaceRecognition',
  'roots',
  'addRoot',
  'removeRoot',
  'startIndexing',
  'cancelIndexing',
  'settings',
  'updateSettings',
  'suggestTags',
  'things',
  'checkDatabase',
  'databaseCheck',
  'photoMenu',
  'pickFolder',
  'reveal',
] as const satisfies readonly CallName[];

type Missing = Exclude<CallName, (typeof CALL_NAMES)[number]>;
// A compile error here names a call of `Contract` missing from CALL_NAMES.
const everyCallListed: [Missing] extends [never] ? true : Missing = true;
void everyCallListed;

/** The request fields of call K that hold a file's bytes. */
type BytesField<K extends CallName> = { [F in keyof Req<K>]-?: Req<K>[F] extends Uint8Array ? F : never }[keyof Req<K>];

/**
 * Calls that upload a file, with the request field that holds its bytes. Over HTTP the bytes are
 * the request body (`application/octet-stream`) and the other fields go in the query string;
 * over IPC the request crosses as it is (structured clone keeps a Uint8Array). Never base64.
 */
export const UPLOAD_FIELD = { similarToImage: 'image' } as const satisfies { [K in CallName]?: BytesField<K> };
export type UploadCall = keyof typeof UPLOAD_FIELD;

export function isUploadCall(name: string): name is UploadCall {
  return Object.hasOwn(UPLOAD_FIELD, name);
}

/** Calls that only the desktop app can answer (they open native UI). */
export const DESKTOP_ONLY_CALLS: readonly CallName[] = ['photoMenu', 'pickFolder', 'reveal'];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && (CALL_NAMES as readonly string[]).includes(name);
}

// ---------------------------------------------------------------------------------------------
// Errors and envelopes

export type ApiErrorCode =
  | 'invalid-request' // the request failed validation
  | 'unknown-call'
  | 'not-found'
  | 'unsupported' // not in this mode (native UI in the web mode)
  | 'busy'
  | 'read-only' // the library's database is on a read-only folder: indexing and changes are off
  | 'internal';

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
}

/** What crosses every transport: never a thrown error, always one of these. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

// ---------------------------------------------------------------------------------------------
// Events pushed to the renderer

export type MenuCommand =
  | 'view:library'
  | 'view:duplicates'
  | 'view:clusters'
  | 'view:people'
  | 'view:search'
  | 'view:settings'
  | 'library:add-folder'
  | 'library:reindex'
  | 'theme:toggle'
  | 'edit:undo';

export type LikenessEvent =
  | { type: 'indexing'; state: IndexingState }
  | { type: 'library-changed'; reason: string }
  | { type: 'menu'; command: MenuCommand }
  /** Something the user should know about (a folder went offline, the disk is full). */
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string }
  /** Electron: the user chose a context-menu item outside the renderer's own flow. */
  | { type: 'photo-action'; action: Exclude<PhotoMenuAction, null>; ids: number[] };

// ---------------------------------------------------------------------------------------------
// What the preload exposes as `window.likeness` (one method per call, plus event subscription)

type ArgsOf<K extends CallName> = Record<string, never> extends Req<K> ? [req?: Req<K>] : [req: Req<K>];

export type PreloadCalls = { [K in CallName]: (...args: ArgsOf<K>) => Promise<Envelope<Res<K>>> };

export interface PreloadApi extends PreloadCalls {
  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: LikenessEvent) => void): () => void;
}

export const IPC_PREFIX = 'likeness:';
export const IPC_EVENT_CHANNEL = 'likeness:event';
