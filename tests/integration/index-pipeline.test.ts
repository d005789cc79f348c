/**
 * The indexing core end to end on real photos: every format, EXIF, bad inputs, incremental
 * re-runs, thumbnails, "find similar" against a brute-force reference, and reverse search.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Library } from '../../main/core/library.js';
import { toSearchSpace } from '../../main/core/search/whitening.js';
import { copyInto, ferrariPhotos, tempDir } from '../helpers/datasets.js';
import { fingerprint, hasHeifEnc, writeBadInputs, writeFormats, writeRotatedWithExif } from '../helpers/fixtures.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

describe('indexing pipeline on real photos', () => {
  const root = tempDir();
  const photos = path.join(root, 'photos');
  const dbPath = path.join(root, 'lib', 'library.db');
  let library: Library;
  let formats: Record<string, string>;
  let bad: Map<string, RegExp>;
  let before1: Map<string, string>;
  const realPhotos = ferrariPhotos().filter((_, i) => i % 5 === 0); // 20 photos across the colours

  before(async () => {
    copyInto(path.join(photos, 'trip', 'day1'), realPhotos.slice(0, 10));
    copyInto(path.join(photos, 'trip', 'day2'), realPhotos.slice(10));
    formats = await writeFormats(realPhotos[3], path.join(photos, 'formats'));
    await writeRotatedWithExif(realPhotos[5], path.join(photos, 'rotated.jpg'));
    bad = writeBadInputs(path.join(photos, 'bad'), realPhotos[0]);
    fs.symlinkSync('..', path.join(photos, 'trip', 'loop')); // a symlink loop
    before1 = fingerprint(photos);
    library = Library.open({ dbPath, workers: 1 });
  });

  after(async () => {
    await library.close();
  });

  test('first run indexes every readable image and records each failure with a reason', async () => {
    const summary = await library.index([photos]);
    const goodCount = realPhotos.length + Object.keys(formats).length + 1;
    assert.equal(summary.indexed, goodCount);
    assert.equal(summary.failed, bad.size + 1, 'the bad files and the symlink loop');

    const status = library.status();
    assert.equal(status.failed, summary.failed, 'the summary and status agree');
    assert.equal(status.indexed, goodCount);
    assert.equal(status.pending, 0);
    for (const [file, reason] of bad) {
      const failure = status.failures.find((f) => f.path === file);
      assert.ok(failure, `${path.basename(file)} is listed as failed`);
      assert.match(failure.reason, reason, `${path.basename(file)}: ${failure.reason}`);
    }
    const loop = status.failures.find((f) => f.path === path.join(photos, 'trip', 'loop'));
    assert.ok(loop, 'the symlink loop is reported');
    assert.match(loop.reason, /symlink loop|already scanned/);
  });

  test("the user's files are never modified", () => {
    assert.deepEqual(fingerprint(photos), before1);
  });

  test('every format decodes (HEIC via libheif) and agrees with the JPEG visually', async (t) => {
    // CI installs heif-enc (.ci/run); a bare machine still checks the other formats.
    if (!hasHeifEnc()) t.diagnostic('heif-enc (Debian libheif-examples) is missing: HEIC fixture not made');
    const [answer] = await library.similar([formats.jpeg], 50);
    for (const [format, file] of Object.entries(formats)) {
      if (format === 'jpeg') continue;
      const row = library.files.byPath(file)!;
      assert.equal(row.status, 'indexed', `${format}: ${row.error}`);
      const rank = answer.results.findIndex((r) => r.path === file);
      assert.ok(rank >= 0 && rank < Object.keys(formats).length - 1, `${format} copy ranks among the same picture's other copies (rank ${rank})`);
    }
    if (formats.heic) assert.equal(library.files.byPath(formats.heic)!.format, 'heic');
    assert.equal(library.files.byPath(formats.gif)!.format, 'gif');
  });

  test('EXIF orientation is applied and EXIF facts are stored', () => {
    const row = library.files.byPath(path.join(photos, 'rotated.jpg'))!;
    assert.equal(row.width, 200, 'stored 300×200 with orientation 6 displays as 200×300');
    assert.equal(row.height, 300);
    assert.equal(row.camera, 'Fujifilm X-T5');
    assert.equal(row.lens, 'XF 23mm F1.4');
    assert.ok(row.taken_at?.startsWith('2023-07-14'), `taken_at ${row.taken_at}`);
  });

  test('thumbnails are WebP, about 256 px on the long side, in the cache beside the database', async () => {
    const row = library.files.byPath(path.join(photos, 'rotated.jpg'))!;
    assert.ok(row.thumbnail?.startsWith(path.dirname(dbPath)), 'the thumbnail lives beside the database');
    const meta = await sharp(row.thumbnail!).metadata();
    assert.equal(meta.format, 'webp');
    assert.equal(Math.max(meta.width!, meta.height!), 256);
    assert.ok(meta.height! > meta.width!, 'the thumbnail is upright (orientation applied)');
    assert.match(row.dhash!, /^[0-9a-f]{16}$/);
    assert.match(row.phash!, /^[0-9a-f]{16}$/);
  });

  test('similar equals a brute-force ranking over the stored vectors', async () => {
    const query = path.join(photos, 'trip', 'day1', path.basename(realPhotos[2]));
    const [answer] = await library.similar([query], 8);
    const queryRow = library.files.byPath(query)!;
    const search = (id: number) => toSearchSpace(library.files.vectorOf(id, library.modelId)!, library.files.whitening(library.modelId));
    const q = search(queryRow.id);
    const reference: { path: string; score: number }[] = [];
    library.files.forEachVector(library.modelId, (id) => {
      if (id === queryRow.id) return;
      const v = search(id);
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i] * q[i];
      reference.push({ path: library.files.byId(id)!.path, score: dot });
    });
    reference.sort((a, b) => b.score - a.score);
    assert.equal(answer.query, query);
    assert.deepEqual(answer.results.map((r) => r.path), reference.slice(0, 8).map((r) => r.path));
    answer.results.forEach((r, i) => assert.ok(Math.abs(r.score - reference[i].score) < 1e-5));
    assert.ok(!answer.results.some((r) => r.path === query), 'a photo does not match itself');
  });

  test('reverse image search: an outside, resized copy finds its original first and is not added', async () => {
    const outside = path.join(root, 'outside.jpg');
    const original = path.join(photos, 'trip', 'day2', path.basename(realPhotos[14]));
    await sharp(original).resize(400).jpeg({ quality: 40 }).toFile(outside);
    const [answer] = await library.similar([outside], 5);
    assert.equal(answer.results[0].path, original);
    assert.ok(answer.results[0].score > answer.results[1].score);
    assert.equal(library.files.byPath(outside), undefined);
    const hits = await library.similarToBuffer(fs.readFileSync(outside), 3);
    assert.equal(hits[0].path, original);
  });

  test('a second run skips unchanged files; changes and deletions are picked up; disk untouched', async () => {
    const again = await library.index([photos]);
    assert.equal(again.indexed, 0);
    assert.equal(again.added + again.updated + again.removed, 0);

    const changed = path.join(photos, 'trip', 'day1', path.basename(realPhotos[1]));
    const before = library.files.byPath(changed)!;
    await sharp(realPhotos[7]).resize(500).jpeg().toFile(changed + '.tmp');
    fs.renameSync(changed + '.tmp', changed);
    const removed = path.join(photos, 'trip', 'day2', path.basename(realPhotos[12]));
    fs.rmSync(removed);

    const third = await library.index([photos]);
    assert.equal(third.updated, 1);
    assert.equal(third.removed, 1);
    assert.equal(third.indexed, 1);
    const after = library.files.byPath(changed)!;
    assert.equal(after.id, before.id);
    assert.notEqual(after.content_hash, before.content_hash);
    assert.equal(library.files.byPath(removed), undefined);
    const [answer] = await library.similar([changed], 100);
    assert.ok(!answer.results.some((r) => r.path === removed), 'removed files leave the search index');
  });

  test('vectors from another model are recomputed, not mixed', async () => {
    library.db.prepare("UPDATE vectors SET model_id = 'some-older-model' WHERE file_id IN (SELECT file_id FROM vectors LIMIT 3)").run();
    const summary = await library.index([photos]);
    assert.equal(summary.indexed, 3);
    const models = library.db.prepare('SELECT DISTINCT model_id FROM vectors').all() as { model_id: string }[];
    assert.deepEqual(models.map((m) => m.model_id), [library.modelId]);
  });
});
