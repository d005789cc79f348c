/**
 * The serving fronts answer duplicates and clusters in a worker thread (library/answers-off-thread.ts):
 * the answers must be the ones the library gives in-process, kept answers included.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Library } from '../../main/core/library.js';
import { ferrariPhotos, tempDir } from '../helpers/datasets.js';

process.env.LIKENESS_ANNOTATE ??= 'off';

const root = tempDir('likeness-off-thread-');
const photos = path.join(root, 'photos');
const dbPath = path.join(root, 'lib.db');
let inProcess: Library;
let offThread: Library;

before(async () => {
  fs.mkdirSync(photos, { recursive: true });
  const originals = ferrariPhotos(12).map((f) => {
    const target = path.join(photos, path.basename(f));
    fs.copyFileSync(f, target);
    return target;
  });
  await sharp(originals[0]).jpeg({ quality: 55 }).toFile(path.join(photos, 'copy-a.jpg'));
  await sharp(originals[3]).resize(400).toFile(path.join(photos, 'copy-b.jpg'));
  fs.copyFileSync(originals[5], path.join(photos, 'copy-c.jpg'));
  inProcess = Library.open({ dbPath, workers: 1 });
  await inProcess.index([photos]);
  offThread = Library.open({ dbPath, workers: 1, answerOffThread: true });
});

after(async () => {
  await inProcess.close();
  await offThread.close();
});

test('duplicates and clusters answered in a worker thread are the in-process answers', { timeout: 180_000 }, async () => {
  for (const query of [{}, { tier: 'similar' as const }, { folder: photos }]) {
    const here = await inProcess.dupes(query);
    const there = await offThread.dupes(query);
    assert.ok(here.groups.length >= 3, `the three copies group: ${JSON.stringify(here.groups.map((g) => g.paths))}`);
    assert.deepEqual(there.groups, here.groups, `same groups for ${JSON.stringify(query)}`);
    assert.equal(there.stats.kept, true, 'the worker reads the answer kept by the in-process run');
  }
  fs.rmSync(`${dbPath}-cache/duplicates`, { recursive: true, force: true });
  const computed = await offThread.dupes();
  assert.notEqual(computed.stats.kept, true, 'with nothing kept, the worker finds them itself');
  assert.deepEqual(computed.groups, (await inProcess.dupes()).groups);

  const withoutTime = ({ seconds: _, ...answer }: Awaited<ReturnType<Library['clusters']>>) => answer;
  for (const level of ['finer', 'default', 'coarser'] as const) {
    const here = withoutTime(await inProcess.clusters({ level }));
    assert.ok(here.clusters.length > 0, `level ${level} has clusters`);
    assert.deepEqual(withoutTime(await offThread.clusters({ level })), here, `same clusters at level ${level}`);
  }
});
