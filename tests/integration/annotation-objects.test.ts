/**
 * Automatic object tags on real photos (caltech101-dev, COCO categories) under neutral file
 * names: `search "motorbike"` returns the motorbikes first; synonyms reach their labels; `tag
 * --json` lists the automatic tags; a removed automatic tag stays removed when the photos are
 * annotated again (a new annotator id); a SIGKILL mid-annotation resumes where it stopped.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Library } from '../../main/core/library.js';
import { CLI, DATASETS, tempDir } from '../helpers/datasets.js';

const run = promisify(execFile);
const CALTECH = path.join(DATASETS, 'caltech101-dev');
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'annotate-child.js');

/** Category → photos of it; distractors have no COCO object in them. */
const PICK: Record<string, number> = { Motorbikes: 3, airplanes: 3, pizza: 3, laptop: 2, yin_yang: 2, brain: 2 };

describe('automatic object tags', { timeout: 600_000 }, () => {
  const root = tempDir('likeness-annotate-');
  const photos = path.join(root, 'photos');
  const dbPath = path.join(root, 'library.db');
  const category = new Map<string, string>();
  let library: Library;

  before(async () => {
    fs.mkdirSync(photos);
    let n = 0;
    for (const [cat, count] of Object.entries(PICK)) {
      for (const name of fs.readdirSync(path.join(CALTECH, cat)).sort().slice(0, count)) {
        const target = path.join(photos, `IMG_${String(++n).padStart(4, '0')}.jpg`);
        fs.copyFileSync(path.join(CALTECH, cat, name), target);
        category.set(target, cat);
      }
    }
    library = Library.open({ dbPath, annotate: true, faces: false });
    await library.index([photos]);
    const summary = await library.annotate();
    assert.equal(summary.annotated, n);
    assert.equal(summary.failed, 0);
  });
  after(() => library.close());

  const search = async (text: string) => (await library.search({ text })).hits.map((h) => category.get(h.path));

  /** The first `atLeast` hits are photos of `cat`, and so is every other hit. */
  const assertFinds = async (word: string, cat: string, atLeast: number) => {
    const found = await search(word);
    assert.ok(found.length >= atLeast, `"${word}": ${found.length} hits, ${atLeast} wanted`);
    assert.ok(found.every((c) => c === cat), `"${word}": only ${cat} (${found})`);
  };

  test('everyday words find the photos by what is in them, best first', async () => {
    for (const word of ['motorbike', 'motorcycles', 'Motorbikes']) await assertFinds(word, 'Motorbikes', 3);
    // Of three airplane photos one (a plane parked in front of a control tower, at dusk) scores
    // 0.21, below the threshold; of three pizzas one is seen as a stop sign (red, round).
    for (const word of ['aeroplane', 'plane', 'airplane']) await assertFinds(word, 'airplanes', 2);
    await assertFinds('pizza', 'pizza', 2);
    await assertFinds('laptops', 'laptop', 2);
    // Names and folders still answer first: the photos are IMG_….
    assert.equal((await search('IMG_0001'))[0], category.get(path.join(photos, 'IMG_0001.jpg')));
  });

  test('`tag --json` adds the automatic tags and text to what it printed before', async () => {
    const first = path.join(photos, 'IMG_0001.jpg');
    const { stdout } = await run(process.execPath, [CLI, 'tag', first, '--db', dbPath, '--json']);
    const answer = JSON.parse(stdout);
    assert.equal(answer.path, first);
    assert.deepEqual(answer.tags, []);
    assert.equal(typeof answer.text, 'string');
    assert.equal(answer.auto[0].tag, 'motorcycle');
    assert.ok(answer.auto[0].score >= 0.3 && answer.auto[0].score <= 1);
    assert.equal(answer.auto[0].box.length, 4);
  });

  test('a removed automatic tag stays removed when the library is annotated again', async () => {
    const wrong = path.join(photos, 'IMG_0004.jpg'); // an airplane
    assert.ok(library.annotationsOf(library.photoAt(wrong)!.id).auto.some((a) => a.tag === 'airplane'));
    library.untag(library.photoAt(wrong)!.id, ['airplane']);
    assert.ok(!library.annotationsOf(library.photoAt(wrong)!.id).auto.some((a) => a.tag === 'airplane'));
    assert.ok(!(await library.search({ text: 'airplane' })).hits.some((h) => h.path === wrong));
    // A new model or recipe: every photo is annotated again (the stored id no longer matches).
    library.db.prepare("UPDATE annotations SET annotator = 'an older annotator'").run();
    const again = await library.annotate();
    assert.equal(again.annotated, category.size);
    assert.ok(!library.annotationsOf(library.photoAt(wrong)!.id).auto.some((a) => a.tag === 'airplane'), 'still removed');
    assert.ok(!(await library.search({ text: 'airplane' })).hits.some((h) => h.path === wrong));
    assert.ok(library.annotationsOf(library.photoAt(path.join(photos, 'IMG_0005.jpg'))!.id).auto.some((a) => a.tag === 'airplane'), 'the others keep theirs');
  });

  test('annotation killed midway resumes where it stopped', async () => {
    const total = category.size;
    library.db.prepare("UPDATE annotations SET annotator = 'an older annotator'").run();
    const killed = await new Promise<string | null>((resolve) => {
      const child = spawn(process.execPath, [CHILD, dbPath, '4'], { stdio: 'ignore' });
      child.on('exit', (_code, signal) => resolve(signal));
    });
    assert.equal(killed, 'SIGKILL');
    const stale = library.db.prepare("SELECT COUNT(*) AS n FROM annotations WHERE annotator = 'an older annotator'").get() as { n: number };
    assert.equal(stale.n, total - 4, 'the four photos done before the kill are stored');
    assert.equal(library.db.pragma('integrity_check', { simple: true }), 'ok');
    const resumed = await library.annotate();
    assert.equal(resumed.annotated, total - 4, 'only the rest is annotated');
    assert.deepEqual((await search('motorbike')).slice(0, 3), ['Motorbikes', 'Motorbikes', 'Motorbikes']);
  });
});
