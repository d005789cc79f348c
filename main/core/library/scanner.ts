/**
 * Walks photo folders and lists the image files in them with their size and mtime.
 * Follows symlinks but never the same real folder twice (so symlink loops end), skips hidden and
 * system folders and our own cache, and reports what it could not read instead of stopping.
 * One file is one photo whatever the number of paths to it: `oneEntryPerFile` keeps one path per
 * device + inode (a symlink and its target, a file seen through a symlinked folder, hard links).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { isImagePath } from '../imaging/formats.js';
import type { Failure } from '../types.js';
import { inodeKey, mtimeMsOf } from './identity.js';

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** device:inode — the same for every path to one file (null where the disk has no inodes). */
  key: string | null;
  /** Whether a symlink (to the file, or to a folder on the way from the root) leads here. */
  viaLink: boolean;
}

export interface ScanResult {
  files: FoundFile[];
  /** Folders or files that could not be read, symlink loops, ... */
  problems: Failure[];
}

/** Folder names no photo library wants walked (NAS metadata, trash, OS droppings). */
export const SKIPPED_FOLDERS = new Set(['@eaDir', '$RECYCLE.BIN', 'System Volume Information', 'node_modules', 'lost+found']);

/** True for names the library never enters or lists: hidden ones and system/NAS folders. */
export function isSkippedName(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

export interface ScanOptions {
  /** Absolute folders never entered (e.g. the thumbnail cache when it sits inside a root). */
  exclude?: string[];
}

export async function scanFolder(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const files: FoundFile[] = [];
  const problems: Failure[] = [];
  const excluded = new Set((options.exclude ?? []).map((p) => path.resolve(p)));
  const visitedRealDirs = new Set<string>();
  const excludedReal = new Set(await Promise.all([...excluded].map((p) => fs.realpath(p).catch(() => p))));

  async function walk(dir: string, viaLink: boolean): Promise<void> {
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch (error) {
      problems.push({ path: dir, reason: describe(error, 'folder') });
      return;
    }
    if (excludedReal.has(real)) return; // our cache, reached through a symlink
    if (visitedRealDirs.has(real)) {
      if (dir !== real) problems.push({ path: dir, reason: `symlink loop or repeated folder: it leads to ${real}, which is already scanned` });
      return;
    }
    visitedRealDirs.add(real);

    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ path: dir, reason: describe(error, 'folder') });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('.')) continue; // hidden files and folders
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let kind: string | null = specialKind(entry);
      if (entry.isSymbolicLink()) {
        try {
          const target = await fs.stat(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
          kind = specialKind(target);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          problems.push({
            path: full,
            reason: code === 'ELOOP' ? 'symlink loop: the link points back to itself' : `broken symlink (${code ?? 'unreadable target'})`,
          });
          continue;
        }
      }
      if (isDir) {
        if (SKIPPED_FOLDERS.has(entry.name) || excluded.has(full)) continue;
        await walk(full, viaLink || entry.isSymbolicLink());
      } else if (kind && isImagePath(entry.name)) {
        // Reading a FIFO would wait for a writer for ever: named, not silently skipped.
        problems.push({ path: full, reason: `not a regular file (${kind}): skipped` });
      } else if (isFile && isImagePath(entry.name)) {
        try {
          const stat = await fs.stat(full, { bigint: true }); // 64-bit inodes stay exact
          files.push({
            path: full,
            size: Number(stat.size),
            mtimeMs: mtimeMsOf(stat),
            key: inodeKey(stat),
            viaLink: viaLink || entry.isSymbolicLink(),
          });
        } catch (error) {
          problems.push({ path: full, reason: describe(error, 'file') });
        }
      }
    }
  }

  await walk(root, false);
  return { files, problems };
}

/**
 * One path per file: of the paths to one device + inode, the one no symlink leads to when there
 * is one, else the first found; and a path a symlink leads to is left out when its real path is
 * `listedElsewhere` (indexed under another root that this pass does not walk). The others are not
 * separate photos.
 */
export async function oneEntryPerFile(files: FoundFile[], listedElsewhere: (realPath: string) => boolean): Promise<FoundFile[]> {
  const chosen = new Map<string, FoundFile>();
  for (const file of files) {
    if (file.key === null) continue;
    const current = chosen.get(file.key);
    if (!current || (current.viaLink && !file.viaLink)) chosen.set(file.key, file);
  }
  const out: FoundFile[] = [];
  for (const file of files) {
    if (file.key !== null && chosen.get(file.key) !== file) continue;
    if (file.viaLink) {
      const real = await fs.realpath(file.path).catch(() => file.path);
      if (real !== file.path && listedElsewhere(real)) continue;
    }
    out.push(file);
  }
  return out;
}

/** What a directory entry that is neither a file nor a folder is, in words (null for those two). */
export function specialKind(entry: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): string | null {
  if (entry.isFIFO()) return 'a named pipe (FIFO)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'a device';
  return null;
}

function describe(error: unknown, what: 'file' | 'folder'): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied: this ${what} cannot be read`;
  if (code === 'ENOENT') return `${what} vanished during the scan`;
  if (code === 'ELOOP') return 'symlink loop';
  return `could not read ${what}: ${(error as Error).message}`;
}
