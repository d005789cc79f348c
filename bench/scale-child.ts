/**
 * One new process of `npm run bench -- scale`: opens a library and answers one `similar` for an
 * indexed photo, printing {ms, rssMb} as JSON. `rebuild` does what Likeness did before the
 * persistent search space (every raw vector mapped into the search space in JavaScript, in every
 * process): the same-run baseline of `stored`, which opens the stored space as `likeness` does.
 */
import { Library } from '../main/core/library.js';
import { VectorIndex } from '../main/core/search/vector-index.js';
import { toSearchSpace } from '../main/core/search/whitening.js';

const [mode, dbPath, query] = process.argv.slice(2);
const t0 = performance.now();
const library = Library.open({ dbPath });
if (mode === 'rebuild') {
  const modelId = library.modelId;
  const whitening = library.files.whitening(modelId);
  let index: VectorIndex | null = null;
  library.files.forEachVector(modelId, (id, raw) => {
    const v = toSearchSpace(raw, whitening);
    index ??= new VectorIndex(v.length, Math.max(1024, library.files.vectorCount(modelId)));
    index.set(id, v);
  });
  const row = library.files.byPath(query)!;
  const built = index as VectorIndex | null;
  built!.search(toSearchSpace(library.files.vectorOf(row.id, modelId)!, whitening), 50, new Set([row.id]));
} else {
  await library.similar([query], 50);
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, rssMb: process.memoryUsage().rss / 2 ** 20, kind: library.searchKind() }));
await library.close();
