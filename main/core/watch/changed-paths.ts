/**
 * What the watcher still has to look at: paths events called "dirty" (each with when its latest
 * event came and when it may be looked at again, for a write still in progress), and rows whose
 * file was seen gone (held for the grace period in which a move's second half may arrive).
 */
import { isInside } from '../store/files-repository.js';
import type { HoldReason } from './still-writing.js';

export interface Dirty {
  /** When the latest event for the path arrived. */
  at: number;
  /** Not before this time (a write still in progress). */
  retryAt: number;
  /** Why the last look held it back, and how long it had been untouched then. */
  held?: { why: HoldReason; age: number };
}

export class ChangedPaths {
  readonly dirty = new Map<string, Dirty>();
  /** Row id → when its file was first seen gone (deletion waits for the grace period). */
  readonly goneSince = new Map<number, number>();

  /** A new event for `file`: look at it now, whatever an earlier look decided. */
  mark(file: string, now = Date.now()): void {
    const previous = this.dirty.get(file);
    this.dirty.set(file, { at: now, retryAt: previous ? Math.min(previous.retryAt, now) : now });
  }

  /** Takes out the dirty paths whose time has come. */
  takeDue(now: number): [string, Dirty][] {
    const due = [...this.dirty].filter(([, d]) => d.retryAt <= now);
    for (const [file] of due) this.dirty.delete(file);
    return due;
  }

  /** Forgets the dirty paths under `folder` (except those `keep` still wants). */
  forgetUnder(folder: string, keep: (file: string) => boolean = () => false): void {
    for (const file of [...this.dirty.keys()]) if (isInside(file, folder) && !keep(file)) this.dirty.delete(file);
  }

  /** When the next look is due (a retry, or a held row's grace period ending); Infinity: none. */
  nextDue(deleteGraceMs: number): number {
    let next = Infinity;
    for (const d of this.dirty.values()) next = Math.min(next, d.retryAt);
    for (const since of this.goneSince.values()) next = Math.min(next, since + deleteGraceMs);
    return next;
  }

  get empty(): boolean {
    return this.dirty.size === 0 && this.goneSince.size === 0;
  }

  /** Why `file` is held back as still being written, if it is. */
  heldBack(file: string): Dirty['held'] {
    return this.dirty.get(file)?.held;
  }
}
