/**
 * A library's duplicates: finding them (from its search state, answers kept for an unchanged
 * library), resolving them to the trash and undoing that, and the user's settings and decisions.
 */
import { keptAnswersDirIn } from '../paths.js';
import type { Db } from '../store/database.js';
import type { SearchState } from '../search/search-state.js';
import { undoLastTrash } from '../trash/trash-service.js';
import { recoverInterruptedTrash, type RecoveryNote } from '../trash/recovery.js';
import type { DuplicatesAnswer, DuplicatesQuery, ResolveAnswer, ResolveRequest, UndoAnswer } from '../types.js';
import { AnswerCache } from './answer-cache.js';
import { findLibraryDuplicates, markNotDuplicates, resolveDuplicates } from './duplicates-service.js';
import { loadThresholds, saveThresholds, type DuplicateThresholds } from './thresholds.js';
import { loadReferenceFolders, saveReferenceFolders } from './reference-folders.js';

export class LibraryDuplicates {
  /** Duplicate answers kept for an unchanged library (answer-cache.ts). */
  private readonly kept: AnswerCache<DuplicatesAnswer>;
  /**
   * What a resolution interrupted by a crash had left half-done, finished or rolled back when
   * the library opened (told once: by the next undo, or by the fronts reading it).
   */
  readonly interrupted: RecoveryNote[];

  constructor(
    private readonly db: Db,
    private readonly search: SearchState,
    cacheDir: string,
    readOnly: boolean,
  ) {
    this.kept = new AnswerCache(keptAnswersDirIn(cacheDir));
    // A crashed resolution moves photos to settle: not from a copy whose journal is thrown away.
    this.interrupted = readOnly ? [] : settleInterruptedTrash(db);
  }

  find(query: DuplicatesQuery): Promise<DuplicatesAnswer> {
    return findLibraryDuplicates(this.search, query, this.kept);
  }

  async resolve(requests: ResolveRequest[]): Promise<ResolveAnswer> {
    const { removedIds, ...answer } = await resolveDuplicates(this.db, requests);
    this.search.remove(removedIds);
    return answer;
  }

  /** Puts the files of the last resolution back and re-enters them in the search space. */
  async undoLast(): Promise<UndoAnswer> {
    const outcome = await undoLastTrash(this.db);
    const modelId = this.search.modelId;
    this.search.keepInStep(
      outcome.reinstated.flatMap((r) => (r.vector && r.modelId === modelId ? [{ id: r.id, vector: r.vector, modelId: r.modelId }] : [])),
      [],
    );
    const recovered = [...this.interrupted.splice(0), ...outcome.recovered];
    return { restored: outcome.restored.length, paths: outcome.restored, failed: outcome.failed, ...(recovered.length ? { recovered } : {}) };
  }

  thresholds(): DuplicateThresholds {
    return loadThresholds(this.db);
  }

  setThresholds(patch: Partial<DuplicateThresholds>): DuplicateThresholds {
    return saveThresholds(this.db, patch);
  }

  referenceFolders(): string[] {
    return loadReferenceFolders(this.db);
  }

  setReferenceFolders(folders: string[]): string[] {
    return saveReferenceFolders(this.db, folders);
  }

  notDuplicates(ids: number[]): number {
    return markNotDuplicates(this.db, ids);
  }
}

/** Settles a crashed resolution's leftovers; a failure to (a read-only database) is said, not thrown. */
function settleInterruptedTrash(db: Db): RecoveryNote[] {
  try {
    return recoverInterruptedTrash(db);
  } catch (error) {
    return [{ path: '', outcome: 'unsettled', message: `an interrupted resolution could not be settled yet: ${(error as Error).message}` }];
  }
}
