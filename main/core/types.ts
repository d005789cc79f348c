/**
 * Plain data shapes the core hands to its fronts (CLI, HTTP/web mode, Electron IPC).
 * No behaviour here, and nothing Node-specific, so the renderer's contract can reuse them.
 */

export interface PhotoSummary {
  id: number;
  /** Absolute path of the original. */
  path: string;
  name: string;
  folder: string;
  size: number;
  mtimeMs: number;
  width: number | null;
  height: number | null;
  /** EXIF DateTimeOriginal as ISO 8601, if the photo has one. */
  takenAt: string | null;
  /** Absolute path of the WebP thumbnail (~256 px long side), null until indexed. */
  thumbnail: string | null;
}

export interface PhotoDetail extends PhotoSummary {
  format: string | null;
  camera: string | null;
  lens: string | null;
  gpsLat: number | null;
  gpsLon: number | null;
  /** Shutter time in seconds, aperture (f-number), ISO and focal length (mm), from EXIF; null when
   *  the photo does not say (or, in an older library, until its folder is indexed again). */
  exposureTime: number | null;
  fNumber: number | null;
  iso: number | null;
  focalLength: number | null;
  contentHash: string | null;
  dhash: string | null;
  phash: string | null;
  status: FileStatus;
  error: string | null;
}

export type FileStatus = 'pending' | 'indexed' | 'failed';

export interface SimilarHit {
  id: number;
  path: string;
  /** Cosine similarity in the whitened space: higher = more similar, at most 1. */
  score: number;
}

export interface SimilarAnswer {
  query: string;
  results: SimilarHit[];
}

export interface IndexProgress {
  phase: 'scanning' | 'indexing' | 'finishing' | 'done';
  done: number;
  total: number;
  failed: number;
  imagesPerSecond: number;
  etaSeconds: number | null;
  current?: string;
}

export interface IndexSummary {
  scanned: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  indexed: number;
  failed: number;
  seconds: number;
  /** Files found at a new path with known content: their rows followed them (not in added/removed). */
  moved?: number;
  /** Roots that could not be reached: their entries were kept, marked offline. */
  offline?: string[];
  /**
   * Unchanged files embedded again for the library's model (after a model or decode-recipe
   * change). They are part of `indexed` (or `failed`), not of `added` or `updated`.
   */
  reembedded?: number;
  /**
   * Files unchanged on disk that an earlier pass left pending (stopped by a full disk, a crash,
   * Ctrl-C) and this one embedded. They are part of `indexed` (or `failed`), not of `unchanged`.
   */
  resumed?: number;
}

/** A library root (a folder the user added) and how it stands. */
export interface RootState {
  path: string;
  /** False while the folder cannot be reached (unplugged drive): its entries are kept. */
  online: boolean;
  /** Since when it is offline (ms since the epoch), or null. */
  offlineSince: number | null;
  /** Watched by polling (network drives) rather than by file-system events. */
  polling: boolean;
  /** Watched right now by this process. */
  watched: boolean;
  /** Nested inside another root (its files are walked and watched through that one). */
  nested: boolean;
  files: number;
  indexed: number;
  pending: number;
  failed: number;
  /** When the folder was last reconciled with the disk (ms), or null. */
  scannedAt: number | null;
}

export interface Failure {
  path: string;
  reason: string;
}

export interface StatusReport {
  indexed: number;
  pending: number;
  failed: number;
  failures: Failure[];
  /** Why the library cannot be changed, when it cannot (a read-only folder): read from a copy, indexing off. */
  readOnly?: string;
}

export type PhotoSort = 'date' | 'name' | 'added';

export interface PhotoQuery {
  offset?: number;
  limit?: number;
  /** Only photos under this folder (absolute path). */
  folder?: string;
  sort?: PhotoSort;
  order?: 'asc' | 'desc';
}

export interface PhotoPage {
  total: number;
  photos: PhotoSummary[];
}

export interface FolderCount {
  path: string;
  count: number;
}

// --- duplicates, clusters, text and hybrid search, tags (issue 4) ------------------------------
// Named apart from the contract's DupesAnswer, ClustersAnswer, SearchQuery… (preload/contract.ts):
// these speak in paths, the contract's in ids and photo summaries; main/api/adapters.ts maps them.

/** exact = same bytes; near = the same picture re-encoded, resized, cropped or brightened;
 *  similar = a different shot of the same moment (bursts). */
export type DuplicateTier = 'exact' | 'near' | 'similar';

export interface DuplicatesQuery {
  /** The loosest tier to report: 'exact', 'near' (exact + near, the default) or 'similar' (all). */
  tier?: DuplicateTier;
  /** Only these tiers (the loosest of them decides how far grouping goes). */
  tiers?: DuplicateTier[];
  /** Only photos under this folder (absolute path). */
  folder?: string;
}

export interface DuplicateMember {
  id: number;
  path: string;
  width: number | null;
  height: number | null;
  format: string | null;
  size: number;
  takenAt: string | null;
  thumbnail: string | null;
}

/** Why a member belongs with the keeper. */
export interface DuplicateEvidence {
  /** File ids: the keeper and the member. */
  a: number;
  b: number;
  kind: DuplicateTier;
  label: string;
  /** The pair's combined near distance (0 for identical content). */
  value: number | null;
  cosine: number | null;
  dhash: number | null;
  phash: number | null;
  alignment: number | null;
  secondsApart: number | null;
  /** Filters the member went through against the keeper ("greyscale", "sepia": duplicates/looks.ts), for near pairs. */
  filters?: string[];
}

export interface DuplicateGroup {
  /** Stable within one answer. */
  key: string;
  tier: DuplicateTier;
  keeperId: number;
  /** Absolute path of the suggested keeper. */
  keeper: string;
  keeperReason: string;
  /** Every member, keeper first. */
  members: DuplicateMember[];
  /** Every member's path, keeper first. */
  paths: string[];
  evidence: DuplicateEvidence[];
}

export interface DuplicatesAnswer {
  groups: DuplicateGroup[];
  /** `kept`: the answer computed last time, for a library unchanged since (duplicates/answer-cache.ts). */
  stats: { files: number; candidatePairs: number; alignmentChecks: number; seconds: number; kept?: boolean };
}

/** One group's resolution: keep these, send those to the trash (absolute paths). */
export interface ResolveRequest {
  keep: string[];
  trash: string[];
}

export interface ResolveAnswer {
  trashed: number;
  paths: string[];
  failed: Failure[];
  /** Where the files went, in words ("the trash", "the Recycle Bin"). */
  destination: string;
  canUndo: boolean;
  /** Set when the resolution stopped before the end (a full disk), in words: the rest stayed put. */
  stopped?: string;
}

export interface UndoAnswer {
  restored: number;
  paths: string[];
  failed: Failure[];
  /** What an interrupted resolution had left half-done, finished or rolled back first (in words). */
  recovered?: { path: string; outcome: 'finished' | 'rolled-back' | 'missing' | 'unsettled'; message: string }[];
}

export interface PhotoClustersQuery {
  /** Only photos under this folder (absolute path). */
  folder?: string;
  /** Only these photos (absolute paths), e.g. a search result. */
  paths?: string[];
  /** Smallest cluster reported (default 2). */
  minSize?: number;
  /** Granularity: 'finer' | 'default' | 'coarser' or a number 0.5–2 (clusters/levels.ts). */
  level?: string | number;
}

export interface PhotoCluster {
  id: number;
  size: number;
  representativeId: number;
  /** Absolute path of the representative (the member closest to the cluster's centre). */
  representative: string;
  /** Member ids, representative first. */
  memberIds: number[];
  /** Member paths, representative first. */
  paths: string[];
  /** Mean cosine of the members to the centre (whitened space). */
  cohesion: number;
}

export interface PhotoClustersAnswer {
  clusters: PhotoCluster[];
  /** Photos that resemble nothing closely enough. */
  unclustered: number;
  /** The merge threshold used (average cosine in the whitened space). */
  threshold: number;
  /** The granularity used (1 = default; clusters/levels.ts). */
  granularity: number;
  seconds: number;
}

export interface TextSearchQuery {
  /** Words matched against file name, folders, EXIF (camera, lens, date), tags and captions.
   *  Prefix matching; case and accents do not matter. */
  text?: string;
  /** Positive examples (absolute paths of indexed photos or any image files). */
  like?: string[];
  /** Negative examples. */
  unlike?: string[];
  folder?: string;
  /** Taken (or, without EXIF, modified) on or after / on or before: ISO dates, inclusive. */
  from?: string;
  to?: string;
  /** Photos carrying all of these tags. */
  tags?: string[];
  limit?: number;
  offset?: number;
}

export interface TextSearchHit {
  id: number;
  path: string;
  /** Visual relevance when examples are given (higher = better), else text relevance. */
  score: number;
  /** What matched: "text", "tag: beach", "like". */
  matched: string[];
}

export interface TextSearchAnswer {
  total: number;
  hits: TextSearchHit[];
}

export interface TagCount {
  tag: string;
  count: number;
}
