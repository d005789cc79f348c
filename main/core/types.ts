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
