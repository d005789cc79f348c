/**
 * A child process for the search-space SIGKILL test: rounds of synthetic photos added and
 * re-indexed, each followed by what indexing does next (refit when due, the new space, the HNSW
 * index and neighbour graph from 1,500 photos) and by a new process's open and query. Prints a
 * line per round; the test kills it at arbitrary moments.
 */
import { Library } from '../../main/core/library.js';
import { addSyntheticPhotos } from './synthetic-library.js';

const [dbPath] = process.argv.slice(2);
const options = { dbPath, annFrom: 500 };
for (let round = 0; ; round++) {
  const library = Library.open(options);
  const added = addSyntheticPhotos(library, { count: 400, dims: 96, seed: 100 + round, root: `/round-${round}`, nearCopies: 0.05 });
  // A re-indexed photo: its raw vector rewritten (the trigger drops its stored search vector).
  library.db.prepare('UPDATE vectors SET vector = (SELECT vector FROM vectors WHERE file_id = ?) WHERE file_id = ?').run(added.ids[1], added.ids[0]);
  await library.updateSearchSpace();
  await library.dupes();
  await library.close();
  const again = Library.open(options);
  await again.similar([again.photo(added.ids[2])!.path], 10);
  await again.close();
  console.log(`round ${round}`);
}
