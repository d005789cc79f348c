/**
 * Duplicate answers kept for an unchanged library. Finding duplicates reads every photo's signals
 * and judges a million pairs at 100k photos (tens of seconds); asking again, with nothing changed,
 * must not cost that again. An answer is kept in a file of the library's cache folder under a
 * fingerprint of everything it was computed from (the photos' rows, the decisions, the thresholds,
 * the vector model and search space, the question); any change to them means another fingerprint,
 * so the answer is computed afresh. The kept answer is derived data: losing it costs one run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Bumped whenever the finder's output for the same inputs changes. */
const FINDER_VERSION = 'v1';

export class AnswerCache<T> {
  constructor(private readonly dir: string) {}

  /** A fingerprint of the inputs: each part as JSON, in order (arrays are hashed item by item). */
  static fingerprint(parts: unknown[]): string {
    const hash = crypto.createHash('sha256').update(FINDER_VERSION);
    for (const part of parts) {
      if (Array.isArray(part)) {
        hash.update(`[${part.length}`);
        for (const item of part) hash.update(JSON.stringify(item) ?? 'undefined').update('\n');
      } else {
        hash.update(JSON.stringify(part) ?? 'undefined').update('\n');
      }
    }
    return hash.digest('hex');
  }

  /** The answer kept for `question` when it was computed from inputs of this fingerprint. */
  get(question: string, fingerprint: string): T | null {
    try {
      const kept = JSON.parse(fs.readFileSync(this.fileOf(question), 'utf8')) as { fingerprint: string; answer: T };
      return kept.fingerprint === fingerprint ? kept.answer : null;
    } catch {
      return null; // none kept yet, or unreadable: computed afresh
    }
  }

  /** Keeps an answer; a folder that cannot be written (full disk, read-only) keeps none. */
  put(question: string, fingerprint: string, answer: T): void {
    const file = this.fileOf(question);
    const partial = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(partial, JSON.stringify({ fingerprint, answer }));
      fs.renameSync(partial, file);
    } catch {
      fs.rm(partial, { force: true }, () => {});
    }
  }

  private fileOf(question: string): string {
    return path.join(this.dir, `${crypto.createHash('sha256').update(question).digest('hex').slice(0, 16)}.json`);
  }
}
