/** Answers one duplicates or clusters question in its own thread (see answers-off-thread.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database.js';
import { FilesRepository } from '../store/files-repository.js';
import { SearchState } from '../search/search-state.js';
import { AnswerCache } from '../duplicates/answer-cache.js';
import { findLibraryDuplicates } from '../duplicates/duplicates-service.js';
import { clusterLibrary } from '../clusters/clusters-service.js';
import type { AnswerWork } from './answers-off-thread.js';
import { annDirIn, keptAnswersDirIn } from '../paths.js';

const { place, question } = workerData as AnswerWork;
const db = openDatabase(place.dbPath);
try {
  const search = new SearchState(db, new FilesRepository(db), annDirIn(place.cacheDir), () => place.modelId, place.annFrom, true);
  const answer =
    question.kind === 'dupes'
      ? await findLibraryDuplicates(search, question.query, new AnswerCache(keptAnswersDirIn(place.cacheDir)))
      : await clusterLibrary(search, question.query);
  parentPort!.postMessage(answer);
} finally {
  db.close();
}
