/**
 * Duplicates and clusters answered in a child process with its own database connection, for the
 * fronts that serve (`likeness serve`, the desktop app). At 100k photos a duplicates run judges a
 * million pairs for tens of seconds and holds about a gigabyte while it does: on the main thread
 * the server could answer nothing else meanwhile (not a thumbnail, not `status`), and the memory
 * would stay with the process afterwards (in a worker thread too: see runInChildProcess). The
 * child opens the stored search space as a reader, answers, and ends, its memory with it. The
 * answers are the same as in-process (same code, same stored space, same kept answers).
 */
import type { DuplicatesAnswer, DuplicatesQuery, PhotoClustersAnswer, PhotoClustersQuery } from '../types.js';
import { runInChildProcess } from '../threads/run-once.js';

/** Where a reader finds the library: its database file, its cache folder, the model it searches. */
export interface ReaderPlace {
  dbPath: string;
  cacheDir: string;
  modelId: string;
  annFrom?: number;
}

export type OffThreadQuestion = { kind: 'dupes'; query: DuplicatesQuery } | { kind: 'clusters'; query: PhotoClustersQuery };

export interface AnswerWork {
  place: ReaderPlace;
  question: OffThreadQuestion;
}

export function dupesOffThread(place: ReaderPlace, query: DuplicatesQuery): Promise<DuplicatesAnswer> {
  return answer<DuplicatesAnswer>({ place, question: { kind: 'dupes', query } });
}

export function clustersOffThread(place: ReaderPlace, query: PhotoClustersQuery): Promise<PhotoClustersAnswer> {
  return answer<PhotoClustersAnswer>({ place, question: { kind: 'clusters', query } });
}

function answer<T>(work: AnswerWork): Promise<T> {
  return runInChildProcess<T>(new URL('./answer-process.js', import.meta.url), work, `the ${work.question.kind} process`);
}
