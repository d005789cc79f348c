/**
 * Checks a folder the user asks to add, in plain words: a relative path, a missing folder, a
 * file, an unreadable folder, a folder already in the library or inside one are refused with
 * what to do instead. A folder that holds library folders is accepted (the library covers the
 * overlap: each photo is indexed once), and the answer says which it takes in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from './errors.js';

export interface FolderToAdd {
  path: string;
  /** Library folders inside it, which it now covers. */
  covers: string[];
}

export function checkFolderToAdd(input: string, roots: string[]): FolderToAdd {
  const typed = input.trim();
  const expanded = typed === '~' ? os.homedir() : typed.startsWith('~/') || typed.startsWith('~\\') ? path.join(os.homedir(), typed.slice(2)) : typed;
  if (!path.isAbsolute(expanded)) {
    const example = process.platform === 'win32' ? 'C:\\Users\\you\\Pictures' : path.join(os.homedir(), 'Pictures');
    throw new ApiError('invalid-request', `“${typed}” is not a full folder path. Type the whole path, for example ${example}${process.platform === 'win32' ? '' : ', or ~/Pictures for a folder in your home folder'}.`);
  }
  const folder = path.resolve(expanded);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new ApiError('invalid-request', `Likeness is not allowed to open ${folder}. Check the folder's permissions.`);
    throw new ApiError('not-found', `There is no folder at ${folder}. Check the spelling, or connect the drive it is on.`);
  }
  if (!stat.isDirectory()) throw new ApiError('invalid-request', `${folder} is a file, not a folder. Add the folder that holds your photos.`);
  try {
    fs.accessSync(folder, fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    throw new ApiError('invalid-request', `Likeness is not allowed to read ${folder}. Check the folder's permissions.`);
  }
  const resolvedRoots = roots.map((r) => path.resolve(r));
  if (resolvedRoots.includes(folder)) throw new ApiError('invalid-request', `${folder} is already in your library.`);
  const outer = resolvedRoots.find((root) => isInside(folder, root));
  if (outer) throw new ApiError('invalid-request', `${folder} is already in your library: it is inside ${outer}, whose sub-folders are all indexed.`);
  return { path: folder, covers: resolvedRoots.filter((root) => isInside(root, folder)) };
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
