/**
 * Is a file that just changed still being written (a copy in progress, a camera card import)?
 * Decided from its modification time and, for JPEG/PNG, whether it has its end marker yet: a file
 * with the marker only needs a short settle; other formats wait until untouched for `stableMs`;
 * a JPEG/PNG without it waits until `incompleteWaitMs`, after which it is taken as it is (the
 * decoder then reports it broken, if it is).
 */
import type { WatchTimings } from './options.js';

export type Timings = Pick<WatchTimings, 'settleMs' | 'stableMs' | 'incompleteWaitMs'>;

export interface SeenFile {
  /** Now, on our clock. */
  now: number;
  mtimeMs: number;
  /** When the latest event for the file arrived. */
  eventAt: number;
  /**
   * Whether the file ends with its format's end marker (null: a format without one); left out
   * until the verdict asks for it (reading the file's tail is not free).
   */
  endMarker?: boolean | null;
}

/** Why a file is held back. */
export type HoldReason = 'settling' | 'cut-short' | 'unsettled';

export type WriteVerdict =
  | { kind: 'take' }
  | { kind: 'wait'; until: number; why: HoldReason; age: number }
  /** Ask again with `endMarker` filled in. */
  | { kind: 'read-end-marker' };

export function writeVerdict(seen: SeenFile, t: Timings): WriteVerdict {
  // A clock ahead of ours (a network drive's): its mtime says nothing, trust the event's time.
  const written = seen.mtimeMs <= seen.now + 1000 ? seen.mtimeMs : seen.eventAt;
  const age = seen.now - written;
  if (age < t.settleMs) return { kind: 'wait', until: written + t.settleMs, why: 'settling', age };
  if (age >= t.incompleteWaitMs) return { kind: 'take' };
  if (seen.endMarker === undefined) return { kind: 'read-end-marker' };
  if (seen.endMarker === false) return { kind: 'wait', until: seen.now + t.stableMs, why: 'cut-short', age };
  if (seen.endMarker === null && age < t.stableMs) return { kind: 'wait', until: written + t.stableMs, why: 'unsettled', age };
  return { kind: 'take' };
}
