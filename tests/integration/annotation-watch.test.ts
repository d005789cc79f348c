/**
 * While the library is watched, annotation follows in the background: photos are searchable by
 * similarity as soon as they are embedded, and by their text once annotated, also for a photo
 * added while watching.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Library } from '../../main/core/library.js';
import type { Watcher } from '../../main/core/watch/watcher.js';
import { tempDir } from '../helpers/datasets.js';
import { waitFor } from './watch-fixtures.js';

const FAST = { debounceMs: 50, stableMs: 200, deleteGraceMs: 400, presenceCheckMs: 300 };

function sign(words: string, background: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="240"><rect width="100%" height="100%" fill="${background}"/><text x="40" y="150" font-family="DejaVu Sans" font-weight="bold" font-size="80" fill="#111">${words}</text></svg>`,
  );
}

describe('annotation while watching', { timeout: 300_000 }, () => {
  const root = tempDir('likeness-annotate-watch-');
  const photos = path.join(root, 'photos');
  let library: Library;
  let watcher: Watcher | undefined;
  after(async () => {
    await watcher?.close();
    await library?.close();
  });

  test('photos are annotated in the background, new ones too', async () => {
    fs.mkdirSync(photos);
    await sharp(sign('Bakery Corner', '#f3e6c8')).jpeg().toFile(path.join(photos, 'IMG_0001.jpg'));
    await sharp(sign('Night Pharmacy', '#d8ecf3')).jpeg().toFile(path.join(photos, 'IMG_0002.jpg'));
    library = Library.open({ dbPath: path.join(root, 'library.db'), annotate: true, faces: false });
    await library.addRoot(photos);
    watcher = await library.watch(FAST);
    const found = async (word: string) => (await library.search({ text: word })).hits.map((h) => path.basename(h.path));
    const similar = await waitFor('both photos embedded', async () => {
      const [answer] = await library.similar([path.join(photos, 'IMG_0001.jpg')], 5);
      return answer.results.some((r) => path.basename(r.path) === 'IMG_0002.jpg') ? answer.results : null;
    });
    assert.ok(similar.length > 0, 'searchable by similarity once embedded');
    assert.deepEqual(await waitFor('the text of IMG_0001', async () => ((await found('bakery'))[0] === 'IMG_0001.jpg' ? true : null), 120_000), true);
    await waitFor('the text of IMG_0002', async () => ((await found('pharmacy'))[0] === 'IMG_0002.jpg' ? true : null), 120_000);
    await sharp(sign('Garden Cafe', '#e2f3d8')).jpeg().toFile(path.join(photos, 'IMG_0003.jpg'));
    await waitFor('the text of a photo added while watching', async () => ((await found('garden'))[0] === 'IMG_0003.jpg' ? true : null), 120_000);
  });
});
