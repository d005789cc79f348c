/**
 * Text, tag and hybrid search on real photos through the CLI contract, and a measurement of the
 * relevance-feedback rule: cifar10-test-1000 photos of four classes (folder = class) plus photos
 * carrying EXIF camera, lens and date.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { Library } from '../../main/core/library.js';
import { feedbackScore, type FeedbackParams } from '../../main/core/text-search/relevance.js';
import { CIFAR, CLI, copyInto, tempDir } from '../helpers/datasets.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const run = promisify(execFile);
const root = tempDir('likeness-search-it-');
const photos = path.join(root, 'photos');
const db = path.join(root, 'lib.db');
const CLASSES = ['airplane', 'automobile', 'cat', 'ship'];
const PER_CLASS = 25;

async function likeness(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, ...args], { maxBuffer: 64 << 20 });
  return stdout;
}

async function search(...args: string[]): Promise<{ path: string; score: number }[]> {
  const hits = JSON.parse(await likeness(['search', ...args, '--db', db, '--json'])) as { path: string; score: number }[];
  for (const h of hits) {
    assert.ok(path.isAbsolute(h.path));
    assert.equal(typeof h.score, 'number');
  }
  return hits;
}

const classOf = (p: string) => path.basename(path.dirname(p));

describe('likeness search and tag', () => {
  const cifar = (label: string, i: number) => path.join(CIFAR, label, `${String(i).padStart(4, '0')}.jpg`);

  before(async () => {
    for (const label of CLASSES) {
      copyInto(path.join(photos, label), Array.from({ length: PER_CLASS }, (_, i) => cifar(label, i)));
    }
    // Three holiday photos with EXIF (camera, lens, date taken).
    const trip = path.join(photos, 'Voyage à Nice');
    fs.mkdirSync(trip, { recursive: true });
    for (let i = 0; i < 3; i++) {
      await sharp(cifar('ship', 90 + i))
        .resize(96, 96)
        .jpeg()
        .withExif({ IFD0: { Make: 'Canon', Model: 'Canon EOS R5' }, IFD2: { DateTimeOriginal: `2023:07:1${i + 4} 10:00:00`, LensModel: 'RF 24-105mm' } })
        .toFile(path.join(trip, `IMG_00${i + 1}.jpg`));
    }
    await likeness(['index', photos, '--db', db]);
  });

  test('text finds folder names, file names and EXIF, by prefix, ignoring case and accents', async () => {
    const cats = await search('cat');
    assert.equal(cats.length, PER_CLASS);
    assert.ok(cats.every((h) => classOf(h.path) === 'cat'));
    assert.deepEqual((await search('AIRPL')).map((h) => classOf(h.path)), Array(PER_CLASS).fill('airplane'));
    assert.equal((await search('voyage a nice')).length, 3, 'accents in folder names do not matter');
    assert.equal((await search('canon 2023')).length, 3, 'camera and year from EXIF');
    assert.deepEqual((await search('july rf img_002')).map((h) => path.basename(h.path)), ['IMG_002.jpg']);
    assert.equal((await search('canon', '--from', '2023-07-15')).length, 2, 'date range');
    assert.equal((await search('cat', '--folder', path.join(photos, 'ship'))).length, 0, 'folder filter');
  });

  test('tags and captions: added, searched, removed, never written into the photo', async () => {
    const photo = path.join(photos, 'ship', '0003.jpg');
    const bytes = fs.readFileSync(photo);
    const tagged = JSON.parse(await likeness(['tag', photo, 'Plage', 'été', '--db', db, '--json', '--caption', 'Sunset over the harbour']));
    assert.equal(tagged.path, photo);
    assert.deepEqual([...tagged.tags].sort(), ['Plage', 'été']);
    assert.deepEqual((await search('plage')).map((h) => h.path), [photo]);
    assert.deepEqual((await search('ete harb')).map((h) => h.path), [photo], 'tag and caption, accent-free prefix');
    assert.deepEqual((await search('--tag', 'PLAGE')).map((h) => h.path), [photo]);
    assert.ok(bytes.equals(fs.readFileSync(photo)), 'the photo file is untouched');
    await likeness(['tag', photo, 'plage', '--remove', '--db', db]);
    assert.deepEqual(await search('plage'), []);
    assert.deepEqual(JSON.parse(await likeness(['tag', photo, '--db', db, '--json'])).tags, ['été']);
  });

  test('hybrid: a text filter ranked by example photos; examples never come back as results', async () => {
    const example = path.join(photos, 'cat', '0001.jpg');
    const hits = await search('cat', '--like', example);
    assert.equal(hits.length, PER_CLASS - 1);
    assert.ok(hits.every((h) => classOf(h.path) === 'cat' && h.path !== example));
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score, 'best first');
    // An image outside the library works as an example too (embedded on the fly).
    const outside = await search('--like', cifar('cat', 99), '--limit', '10');
    assert.equal(outside.length, 10);
  });

  test('more like these, less like that: the measured rule ranks the wanted class first', async () => {
    const library = Library.open({ dbPath: db });
    try {
      const index = library.searchIndex();
      const rows = library.db.prepare("SELECT id, path FROM files WHERE status = 'indexed'").all() as { id: number; path: string }[];
      const items = rows.filter((r) => CLASSES.includes(classOf(r.path))).map((r) => ({ ...r, label: classOf(r.path), v: index.vector(r.id)! }));
      const ap = (scores: number[], label: string, exclude: Set<number>) => {
        const order = items.map((it, i) => ({ it, s: scores[i] })).filter((x) => !exclude.has(x.it.id)).sort((a, b) => b.s - a.s);
        let hits = 0;
        let sum = 0;
        order.forEach((x, r) => {
          if (x.it.label === label) sum += ++hits / (r + 1);
        });
        return sum / hits;
      };
      const rules: Record<string, FeedbackParams> = { rocchio: { rule: 'rocchio', beta: 0.25 }, max: { rule: 'max', beta: 0.25 } };
      const totals: Record<string, number> = { single: 0, rocchio: 0, max: 0 };
      let queries = 0;
      for (const label of CLASSES) {
        const own = items.filter((it) => it.label === label);
        for (let q = 0; q + 3 <= 12; q += 3) {
          const pos = own.slice(q, q + 3);
          const exclude = new Set(pos.map((p) => p.id));
          totals.single += pos.reduce((s, p) => s + ap(items.map((it) => feedbackScore(it.v, [p.v], [])), label, new Set([p.id])), 0) / 3;
          for (const [name, params] of Object.entries(rules)) totals[name] += ap(items.map((it) => feedbackScore(it.v, pos.map((p) => p.v), [], params)), label, exclude);
          queries++;
        }
      }
      for (const k of Object.keys(totals)) totals[k] /= queries;
      console.log(`relevance feedback, mAP over ${queries} queries of 3 examples: one example ${totals.single.toFixed(3)}, rocchio ${totals.rocchio.toFixed(3)}, max ${totals.max.toFixed(3)}`);
      assert.ok(totals.rocchio > totals.single, 'three examples rank better than one');
      assert.ok(totals.rocchio >= totals.max - 0.01, 'the mean of the examples is at least as good as the closest one');
    } finally {
      await library.close();
    }

    // Through the CLI: three cats, less like the automobile that ranks highest among them.
    const likes = ['0002', '0005', '0007'].map((n) => path.join(photos, 'cat', `${n}.jpg`));
    const plain = await search(...likes.flatMap((l) => ['--like', l]), '--limit', '30');
    const wrong = plain.find((h) => classOf(h.path) !== 'cat')!;
    const withUnlike = await search(...likes.flatMap((l) => ['--like', l]), '--unlike', wrong.path, '--limit', '30');
    assert.ok(!withUnlike.some((h) => h.path === wrong.path), 'the rejected photo is gone');
    const sameClass = (hits: { path: string }[]) => hits.slice(0, 20).filter((h) => classOf(h.path) === classOf(wrong.path)).length;
    assert.ok(sameClass(withUnlike) <= sameClass(plain), 'fewer like the rejected photo near the top');
    assert.ok(plain.slice(0, 10).filter((h) => classOf(h.path) === 'cat').length >= 3, 'cats lead the ranking');
  });
});
