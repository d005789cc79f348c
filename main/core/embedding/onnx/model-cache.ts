/**
 * Where converted ONNX models live: `<os cache dir>/likeness/models/<modelId>-<hash>.onnx`, or
 * under `$LIKENESS_MODEL_CACHE` when set. The hash covers the source model and the converter
 * version, so a new nsfwjs release or converter fix produces a new file instead of a stale hit.
 *
 * Several worker threads (or processes) may convert at the same moment on first use: each writes
 * a private temp file and renames it into place, so readers only ever see a complete file.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

/** The per-user cache folder for converted models. */
export function modelCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (env.LIKENESS_MODEL_CACHE) return path.resolve(env.LIKENESS_MODEL_CACHE);
  let base: string;
  if (platform === 'darwin') base = path.join(home, 'Library', 'Caches');
  else if (platform === 'win32') base = env.LOCALAPPDATA || path.join(home, 'AppData', 'Local');
  else base = env.XDG_CACHE_HOME || path.join(home, '.cache');
  return path.join(base, 'likeness', 'models');
}

/** File name for a model id (made filesystem-safe) and content hash. */
export function cachedModelFile(modelId: string, hash: string, dir = modelCacheDir()): string {
  const safeId = modelId.replace(/[^A-Za-z0-9._@-]+/g, '_');
  return path.join(dir, `${safeId}-${hash}.onnx`);
}

/** Writes `data` to `file` so that nobody ever observes a partial file. */
export async function writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    // On Windows a rename onto a file another thread just wrote (and may have open) can fail;
    // that thread's copy is identical, so its presence is success.
    if (!(await exists(file))) throw err;
  }
}

export interface CachedModel {
  path: string;
  /** True when this call produced the file (false: it was already cached). */
  created: boolean;
  /** Time spent producing it, in ms (0 on a cache hit). */
  ms: number;
}

/** Returns the cached file, producing and storing it first if it is missing. */
export async function getOrCreateModel(file: string, produce: () => Uint8Array | Promise<Uint8Array>): Promise<CachedModel> {
  if (await exists(file)) return { path: file, created: false, ms: 0 };
  const start = performance.now();
  const bytes = await produce();
  await writeFileAtomic(file, bytes);
  return { path: file, created: true, ms: performance.now() - start };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
