/** Paths to the shared real-image datasets and temporary folders for tests (never inside the repo). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/tests/...). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DATASETS = path.resolve(REPO_ROOT, '..', 'shared', 'datasets');
export const FERRARI = path.join(DATASETS, 'ferrari-100');
export const CIFAR = path.join(DATASETS, 'cifar10-test-1000');
export const CLI = path.join(REPO_ROOT, 'bin', 'likeness.js');

/** The ferrari-100 photos (sorted, absolute paths), optionally only the first `count`. */
export function ferrariPhotos(count?: number): string[] {
  const all: string[] = [];
  for (const colour of fs.readdirSync(FERRARI).sort()) {
    const dir = path.join(FERRARI, colour);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).sort()) if (/\.jpe?g$/i.test(name)) all.push(path.join(dir, name));
  }
  return count === undefined ? all : all.slice(0, count);
}

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix = 'likeness-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Copies files into `dir` (flat, keeping names) and returns the copies' paths. */
export function copyInto(dir: string, files: string[]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return files.map((file) => {
    const target = path.join(dir, path.basename(file));
    fs.copyFileSync(file, target);
    return target;
  });
}
