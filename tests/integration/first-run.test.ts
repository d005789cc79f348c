/**
 * A new, empty library asked for duplicates and clusters before its first photos arrive (what the
 * app does on first run): indexing afterwards must keep the search index in step, not fail on a
 * placeholder index built while there were no vectors.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Library } from '../../main/core/library.js';
import { copyInto, ferrariPhotos, tempDir } from '../helpers/datasets.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const root = tempDir();
const library = Library.open({ dbPath: path.join(root, 'lib', 'library.db'), workers: 1 });
after(() => library.close());

test('an empty library searched first, then indexed, answers from the new photos', async () => {
  assert.deepEqual((await library.dupes()).groups, []);
  assert.deepEqual((await library.clusters()).clusters, []);
  const photos = copyInto(path.join(root, 'photos'), ferrariPhotos(6));
  const summary = await library.index([path.join(root, 'photos')]);
  assert.equal(summary.indexed, 6);
  const [answer] = await library.similar([photos[0]], 10);
  assert.equal(answer.results.length, 5);
  assert.ok(answer.results.every((r) => r.path !== photos[0] && Number.isFinite(r.score)));
});
