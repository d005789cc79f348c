/**
 * The one rule for what the watcher leaves alone, used both by chokidar (so it never walks or
 * reports such paths) and by the pass over dirty paths (a path reported before a root changed).
 */
import path from 'node:path';
import type { Stats } from 'node:fs';
import { isInside } from '../store/files-repository.js';
import { isImagePath } from '../imaging/formats.js';
import { isSkippedName } from '../library/scanner.js';

/**
 * True when `file` is none of the watcher's business: under no root, inside an excluded folder
 * (our own cache), under a name the scanner skips (hidden and system folders), or a file that is
 * not an image. Folders are never ignored for their name's extension: chokidar asks about a path
 * without `stats` first, and a folder called `x.txt` may hold photos.
 */
export function isIgnored(file: string, root: string | undefined, exclude: string[], stats?: Stats): boolean {
  if (root === undefined) return true;
  if (file === root) return false;
  if (exclude.some((c) => file === c || isInside(file, c))) return true;
  const relative = path.relative(root, file);
  if (relative.startsWith('..')) return false; // not under this root: another rule's question
  if (relative.split(path.sep).some(isSkippedName)) return true;
  return stats?.isFile() === true && !isImagePath(file);
}
