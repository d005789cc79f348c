/** Answers one duplicates or clusters question in its own process (see answers-off-thread.ts). */
import { openDatabase } from '../store/database.js';
import { FilesRepository } from '../store/files-repository.js';
import { SearchState } from '../search/search-state.js';
import { AnswerCache } from '../duplicates/answer-cache.js';
import { findLibraryDuplicates } from '../duplicates/duplicates-service.js';
import { clusterLibrary } from '../clusters/clusters-service.js';
import type { AnswerWork } from './answers-off-thread.js';
import { annDirIn, keptAnswersDirIn } from '../paths.js';
import { childTask } from '../threads/run-once.js';

childTask(async ({ place, question }: AnswerWork) => {
  const db = openDatabase(place.dbPath);
  try {
    const search = new SearchState(db, new FilesRepository(db), annDirIn(place.cacheDir), () => place.modelId, place.annFrom, true);
    return question.kind === 'dupes'
      ? await findLibraryDuplicates(search, question.query, new AnswerCache(keptAnswersDirIn(place.cacheDir)))
      : await clusterLibrary(search, question.query);
  } finally {
    db.close();
  }
});
