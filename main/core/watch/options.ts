import type { IndexProgress } from '../types.js';
import type { WatchEvent } from './events.js';

export interface WatchOptions {
  /** Poll every root (network drives); otherwise only roots whose polling setting is on. */
  polling?: boolean;
  pollIntervalMs?: number;
  /** Events are gathered this long before a pass. */
  debounceMs?: number;
  /** A file is taken once it has not been written for this long ... */
  stableMs?: number;
  /** ... or for this long if it is a JPEG/PNG that already has its end marker. */
  settleMs?: number;
  /** Extra wait for a recently written JPEG/PNG that looks cut short. */
  incompleteWaitMs?: number;
  /** How long a vanished file's row waits for its move's other half before it is forgotten. */
  deleteGraceMs?: number;
  /** How often roots are checked for being reachable (unplugged, remounted). */
  presenceCheckMs?: number;
  onEvent?: (event: WatchEvent) => void;
  onProgress?: (progress: IndexProgress) => void;
}

/** Timings used when a WatchOptions field is left out. */
export const WATCH_DEFAULTS = {
  pollIntervalMs: 2000,
  debounceMs: 50,
  stableMs: 300,
  settleMs: 50,
  incompleteWaitMs: 5000,
  deleteGraceMs: 1500,
  presenceCheckMs: 3000,
};

export type WatchTimings = typeof WATCH_DEFAULTS;

/** The options with every timing filled in (a field given as undefined takes the default). */
export function withDefaults(options: WatchOptions): WatchTimings & WatchOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<WatchOptions>;
  return { ...WATCH_DEFAULTS, ...given } as WatchTimings & WatchOptions;
}
