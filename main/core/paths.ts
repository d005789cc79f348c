/** Where Likeness keeps its data by platform convention, and the cache folder beside a database. */
import os from 'node:os';
import path from 'node:path';

export function userDataDir(): string {
  if (process.env.LIKENESS_HOME) return path.resolve(process.env.LIKENESS_HOME);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Likeness');
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Likeness');
    default:
      return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'likeness');
  }
}

export function defaultDbPath(): string {
  return path.join(userDataDir(), 'library.db');
}

/** `photos.db` → `photos.db-cache/`: thumbnails and other derived files live beside their database. */
export function cacheDirFor(dbPath: string): string {
  return `${path.resolve(dbPath)}-cache`;
}

export function thumbnailDirFor(dbPath: string): string {
  return path.join(cacheDirFor(dbPath), 'thumbnails');
}

/** Within a cache folder: the saved HNSW indexes of the search space (search/ann-files.ts). */
export function annDirIn(cacheDir: string): string {
  return path.join(cacheDir, 'search');
}

/** Within a cache folder: duplicates answers kept for an unchanged library (duplicates/answer-cache.ts). */
export function keptAnswersDirIn(cacheDir: string): string {
  return path.join(cacheDir, 'duplicates');
}
