/** Small helpers shared by the CLI commands: argument parsing, usage errors, progress display. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { EngineName } from '../core/embedding/engine.js';
import type { IndexProgress } from '../core/types.js';

export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export const dbOption = { db: { type: 'string' } } as const;
export const jsonOption = { json: { type: 'boolean', default: false } } as const;
export const engineOption = { engine: { type: 'string' } } as const;

export function engineName(value: string | undefined): EngineName | undefined {
  if (value === undefined) return undefined;
  if (value === 'auto' || value === 'onnx' || value === 'tfjs') return value;
  throw new UsageError(`--engine must be auto, onnx or tfjs (got "${value}")`);
}

export function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive whole number (got "${value}")`);
  return n;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A one-line progress bar on a TTY (stderr); nothing at all when output is not a terminal. */
export function progressPrinter(): { update: (p: IndexProgress) => void; end: () => void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && p.phase === 'indexing' && p.done < p.total) return;
      last = now;
      let line: string;
      if (p.phase === 'scanning') line = 'Scanning folders…';
      else if (p.phase === 'indexing') {
        const width = 28;
        const filled = p.total ? Math.round((p.done / p.total) * width) : 0;
        const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
        line = `${bar} ${p.done}/${p.total}  ${p.imagesPerSecond.toFixed(1)} img/s  ETA ${formatDuration(p.etaSeconds)}  failed ${p.failed}`;
      } else line = 'Finishing…';
      const columns = process.stderr.columns || 100;
      process.stderr.write('\r' + line.slice(0, columns - 1).padEnd(Math.min(columns - 1, 100)));
      drawn = true;
    },
    end() {
      if (tty && drawn) process.stderr.write('\r' + ' '.repeat(Math.min((process.stderr.columns || 100) - 1, 100)) + '\r');
    },
  };
}
