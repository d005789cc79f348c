/**
 * The structural check on open (health.ts) costs time that grows with the library (0.2 s at 100k
 * photos, about 2 s at 1M, in every process, at every start), while most opens find the file just
 * as the last check left it. A passed check leaves a stamp beside the database of the state it
 * vouches for: the file's identity (device, inode), size and modification time, and the same of
 * the write-ahead log when that holds anything. An open that finds the same state skips the
 * check; any write changes a modification time, so a changed file is checked again.
 *
 * A state is stamped only once its newest write is a few seconds old: a write within the same
 * tick of the file system's clock would leave the time as it was (git's "racy" entries).
 */
import fs from 'node:fs';
import path from 'node:path';
import { cacheDirFor } from '../paths.js';

const SETTLED_MS = 3000;

export class CheckedState {
  private constructor(
    private readonly stampFile: string,
    private readonly state: string,
    private readonly newestWriteMs: number,
  ) {}

  /** The state of `dbFile` and its log now; null when it cannot be read (then it is always checked). */
  static of(dbFile: string): CheckedState | null {
    try {
      const main = fs.statSync(dbFile, { bigint: true });
      const wal = fs.statSync(`${dbFile}-wal`, { bigint: true, throwIfNoEntry: false });
      const parts = [main, ...(wal && wal.size > 0n ? [wal] : [])];
      const state = JSON.stringify(parts.map((s) => [s.dev, s.ino, s.size, s.mtimeNs].map(String)));
      const newestWriteMs = Math.max(...parts.map((s) => Number(s.mtimeMs)));
      return new CheckedState(path.join(cacheDirFor(dbFile), 'checked-state.json'), state, newestWriteMs);
    } catch {
      return null;
    }
  }

  /** Whether a check passed on exactly this state. */
  checkedBefore(): boolean {
    try {
      return fs.readFileSync(this.stampFile, 'utf8') === this.state;
    } catch {
      return false;
    }
  }

  /** Records that a check passed on this state (where the cache folder can be written; else nothing). */
  remember(): void {
    if (Date.now() - this.newestWriteMs < SETTLED_MS) return;
    const partial = `${this.stampFile}.${process.pid}.partial`;
    try {
      fs.mkdirSync(path.dirname(this.stampFile), { recursive: true });
      fs.writeFileSync(partial, this.state);
      fs.renameSync(partial, this.stampFile);
    } catch {
      fs.rmSync(partial, { force: true });
    }
  }
}
