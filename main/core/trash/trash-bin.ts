/**
 * Moving photos to the trash, and back. Never a hard delete.
 *
 * - Linux and other freedesktop systems: the freedesktop trash, written by us the same way (so
 *   that where a file goes is known before it moves, and a full disk leaves nothing behind): the
 *   home trash (`$XDG_DATA_HOME/Trash`) for files on the home's device, else the volume's
 *   `.Trash/$UID` (when an administrator made `.Trash` sticky) or `.Trash-$UID`. Restoring moves
 *   the file back and removes its info; a file whose place is unknown is searched by the
 *   newest `.trashinfo` whose `Path=` is the original. (Tests sandbox it with `XDG_DATA_HOME`.)
 * - macOS and Windows: the OS trash, through the `trash` package. Restoring:
 *   - macOS: Finder's trash keeps no record we can read; we look in `~/.Trash` for an item with the
 *     original name (or Finder's renamed "name 12-34-56" form) whose content hash matches.
 *   - Windows: the Recycle Bin cannot be reached from here; undo explains that the file must be
 *     restored from the Recycle Bin.
 * A file is restored from where the journal says it was put; only when that is unknown (the OS
 * trash chose) is the trash searched, and then only a file with the recorded content hash is taken.
 * Never over an existing file (it is put beside it, "name (restored).ext").
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** 'folder': journal entries written when a LIKENESS_TRASH_DIR folder stood in for the trash
 *  (a test-only mode, gone); still restored from where they say. */
export type TrashMethod = 'folder' | 'freedesktop' | 'macos' | 'windows';

export interface TrashedFile {
  originalPath: string;
  method: TrashMethod;
  /** Where the file is now, when known. */
  trashedPath: string | null;
  /** Its freedesktop `.trashinfo`, when there is one. */
  infoPath: string | null;
}

export class RestoreError extends Error {}

/** Where trashed files go, in words for the user. */
export function trashDestination(): string {
  if (process.platform === 'darwin') return 'the Trash';
  if (process.platform === 'win32') return 'the Recycle Bin';
  return 'the trash';
}

/** Moves a file to the trash now (plan + carry out, for callers without a journal). */
export async function moveToTrash(file: string): Promise<TrashedFile> {
  return carryOutTrash(planTrash(file));
}

/**
 * Where a file is about to go, decided before anything moves so that the journal can record it
 * first. The trash folder's names are chosen here (not taken on disk, nor by `planned`, the names
 * of this batch); the OS trash picks its own, found after the move.
 */
export function planTrash(file: string, planned: Set<string> = new Set()): TrashedFile {
  const original = path.resolve(file);
  if (process.platform === 'darwin' || process.platform === 'win32') {
    return { originalPath: original, method: process.platform === 'darwin' ? 'macos' : 'windows', trashedPath: null, infoPath: null };
  }
  const dir = freedesktopTrashFor(original);
  const ext = path.extname(original);
  const stem = path.basename(original, ext);
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${stem}${ext}` : `${stem}.${n}${ext}`;
    const trashedPath = path.join(dir, 'files', name);
    const infoPath = path.join(dir, 'info', `${name}.trashinfo`);
    if (planned.has(trashedPath) || fs.existsSync(trashedPath) || fs.existsSync(infoPath)) continue;
    planned.add(trashedPath);
    return { originalPath: original, method: 'freedesktop', trashedPath, infoPath };
  }
}

/**
 * Moves the file where `plan` says. On failure nothing of it is left in the trash (no empty
 * `.trashinfo`, no partial copy) and the file is where it was.
 */
export async function carryOutTrash(plan: TrashedFile): Promise<TrashedFile> {
  const original = plan.originalPath;
  if (plan.trashedPath && plan.infoPath) {
    await moveIntoTrashDir(original, plan.trashedPath, plan.infoPath);
    return plan;
  }
  const { default: trash } = await import('trash');
  await trash(original, { glob: false });
  if (fs.existsSync(original)) throw new Error(`could not move ${original} to the trash`);
  return plan;
}

/**
 * The freedesktop trash folder for a file: the home trash when the file is on the home's device;
 * else its volume's `.Trash/$UID` (if the administrator made `.Trash`: a sticky folder, not a
 * link) or `.Trash-$UID`, created private as the spec asks; the home trash when neither can be.
 */
function freedesktopTrashFor(original: string): string {
  const home = path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'Trash');
  try {
    if (fs.statSync(path.dirname(original)).dev === fs.statSync(nearestExisting(home)).dev) return home;
  } catch {
    return home;
  }
  const top = mountPointOf(path.dirname(original));
  if (!top) return home;
  const uid = String(typeof process.getuid === 'function' ? process.getuid() : 0);
  const shared = path.join(top, '.Trash');
  try {
    const stat = fs.lstatSync(shared);
    if (stat.isDirectory() && (stat.mode & 0o1000) !== 0) {
      const mine = path.join(shared, uid);
      fs.mkdirSync(mine, { recursive: true, mode: 0o700 });
      return mine;
    }
  } catch {
    // no usable .Trash: .Trash-$UID
  }
  const own = path.join(top, `.Trash-${uid}`);
  try {
    fs.mkdirSync(own, { recursive: true, mode: 0o700 });
    return own;
  } catch {
    return home; // a read-only volume: the home trash (a copy across disks)
  }
}

/** True for the errors of a full disk (or an exhausted quota). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}

/**
 * Puts a trashed file back where it was (or beside it, when that path is taken now).
 * Returns the path it was restored to.
 */
export async function restoreFromTrash(t: TrashedFile, contentHash: string | null): Promise<string> {
  let source: { file: string; info: string | null } | null = null;
  if (t.trashedPath && fs.existsSync(t.trashedPath)) {
    // Where we put it: that file is the one to bring back (its hash only guides a search).
    source = { file: t.trashedPath, info: t.infoPath };
  } else if (t.method === 'folder' || t.method === 'freedesktop') {
    const dirs = t.method === 'folder' ? [path.dirname(path.dirname(t.trashedPath ?? ''))] : undefined;
    source = findInFreedesktopTrash(t.originalPath, dirs, contentHash);
  } else if (t.method === 'macos') {
    const file = findInMacTrash(t.originalPath, contentHash);
    source = file ? { file, info: null } : null;
  } else {
    throw new RestoreError(`${path.basename(t.originalPath)} is in the Recycle Bin: restore it from there (Likeness cannot reach it)`);
  }
  if (!source) throw new RestoreError(`${path.basename(t.originalPath)} is no longer in ${trashDestination()}`);
  const target = freeTarget(t.originalPath);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  await moveFile(source.file, target);
  if (source.info) fs.rmSync(source.info, { force: true });
  return target;
}

// --- the freedesktop trash ---------------------------------------------------

async function moveIntoTrashDir(original: string, trashedPath: string, infoPath: string): Promise<void> {
  fs.mkdirSync(path.dirname(trashedPath), { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.dirname(infoPath), { recursive: true, mode: 0o700 });
  // Claims the name atomically, as the spec asks ('wx': fails if another process took it).
  const handle = fs.openSync(infoPath, 'wx');
  try {
    try {
      fs.writeSync(handle, `[Trash Info]\nPath=${encodeURI(original)}\nDeletionDate=${localIsoDate(new Date())}\n`);
    } finally {
      fs.closeSync(handle);
    }
    await moveFile(original, trashedPath);
  } catch (error) {
    fs.rmSync(infoPath, { force: true }); // a full disk must not leave an empty or orphan .trashinfo
    throw error;
  }
}

/** The trash folders a file could have gone to under the freedesktop spec. */
function freedesktopTrashDirs(original: string): string[] {
  const dirs = [path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'Trash')];
  const top = mountPointOf(path.dirname(original));
  if (top) {
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    dirs.push(path.join(top, `.Trash-${uid}`), path.join(top, '.Trash', String(uid)));
  }
  return dirs;
}

/** Newest trash entry whose recorded original path is `original` (and content matches). */
export function findInFreedesktopTrash(
  original: string,
  dirs: string[] = freedesktopTrashDirs(original),
  contentHash: string | null = null,
): { file: string; info: string } | null {
  const candidates: { file: string; info: string; when: string }[] = [];
  for (const dir of dirs) {
    const infoDir = path.join(dir, 'info');
    let names: string[];
    try {
      names = fs.readdirSync(infoDir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.trashinfo')) continue;
      const info = path.join(infoDir, name);
      let text: string;
      try {
        text = fs.readFileSync(info, 'utf8');
      } catch {
        continue;
      }
      const recorded = /^Path=(.*)$/m.exec(text)?.[1];
      if (!recorded) continue;
      let decoded: string;
      try {
        decoded = decodeURIComponent(recorded);
      } catch {
        continue;
      }
      if (!path.isAbsolute(decoded)) decoded = path.join(path.dirname(dir), decoded); // relative to the volume's top
      if (path.resolve(decoded) !== original) continue;
      const file = path.join(dir, 'files', name.slice(0, -'.trashinfo'.length));
      if (!fs.existsSync(file)) continue;
      candidates.push({ file, info, when: /^DeletionDate=(.*)$/m.exec(text)?.[1] ?? '' });
    }
  }
  candidates.sort((a, b) => b.when.localeCompare(a.when));
  return candidates.find((c) => hashMatches(c.file, contentHash)) ?? null;
}

export function findInMacTrash(original: string, contentHash: string | null): string | null {
  const dir = path.join(os.homedir(), '.Trash');
  const ext = path.extname(original);
  const stem = path.basename(original, ext);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return null;
  }
  const matches = names
    .filter((n) => n === `${stem}${ext}` || (n.startsWith(`${stem} `) && n.endsWith(ext)))
    .map((n) => path.join(dir, n))
    .sort((a, b) => fs.statSync(b).ctimeMs - fs.statSync(a).ctimeMs);
  return matches.find((file) => hashMatches(file, contentHash)) ?? null;
}

// --- helpers ---------------------------------------------------------------------------------

function hashMatches(file: string, contentHash: string | null): boolean {
  if (!contentHash) return true;
  try {
    return crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex') === contentHash;
  } catch {
    return false;
  }
}

/** The original path, or "name (restored).ext" beside it when something is there now. */
function freeTarget(original: string): string {
  if (!fs.existsSync(original)) return original;
  const ext = path.extname(original);
  const stem = path.join(path.dirname(original), path.basename(original, ext));
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${stem} (restored)${ext}` : `${stem} (restored ${n})${ext}`;
    if (!fs.existsSync(candidate)) return candidate;
  }
}

/** rename, or copy + remove across devices (keeping the modification time). */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    const stat = fs.statSync(from);
    try {
      fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
      fs.utimesSync(to, stat.atime, stat.mtime);
    } catch (copyError) {
      // (EEXIST: someone else's file is there; anything else: our partial copy, removed.)
      if ((copyError as NodeJS.ErrnoException).code !== 'EEXIST') fs.rmSync(to, { force: true });
      throw copyError;
    }
    fs.rmSync(from);
  }
}

/** The folder itself, or its nearest ancestor that exists. */
function nearestExisting(dir: string): string {
  let current = path.resolve(dir);
  while (!fs.existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

function mountPointOf(dir: string): string | null {
  try {
    let current = path.resolve(dir);
    const dev = fs.statSync(current).dev;
    for (;;) {
      const parent = path.dirname(current);
      if (parent === current || fs.statSync(parent).dev !== dev) return current;
      current = parent;
    }
  } catch {
    return null;
  }
}

function localIsoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
