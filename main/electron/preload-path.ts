/**
 * Where the compiled preload lives. The type-only import below also pulls the preload source
 * (a `.cts` file, which tsconfig's `*.ts` include globs do not match) into the compilation, so
 * `tsc -p .` emits dist/preload/electron-preload.cjs; it is erased from the output.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '../../preload/electron-preload.cjs';

export function preloadPath(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'preload', 'electron-preload.cjs');
}
