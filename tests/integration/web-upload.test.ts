/**
 * Reverse image search over HTTP with a real photo: `likeness index` a few caltech101-dev
 * categories, start the web mode, POST a photo it has not indexed as the request body (its bytes,
 * not base64 inside JSON) and get that photo's category back first. Bytes that are no image, and
 * a body over the image limit, are refused in plain words.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Envelope, SimilarResult } from '../../preload/contract.js';
import { startWebMode, type WebMode } from '../../main/server/web-mode.js';
import { runCli } from '../helpers/cli.js';
import { copyInto, DATASETS, tempDir } from '../helpers/datasets.js';

const CALTECH = path.join(DATASETS, 'caltech101-dev');
const CATEGORIES = ['Leopards', 'Motorbikes', 'accordion', 'airplanes', 'bonsai'];
const PER_CATEGORY = 4;
const env = { ...process.env, LIKENESS_ANNOTATE: 'off' };
const missing = fs.existsSync(CALTECH) ? false : `${CALTECH} is missing`;

const photosOf = (category: string) =>
  fs.readdirSync(path.join(CALTECH, category)).filter((f) => /\.jpe?g$/i.test(f)).sort().map((f) => path.join(CALTECH, category, f));

let web: WebMode;

async function upload(bytes: Buffer, query = ''): Promise<{ status: number; envelope: Envelope<SimilarResult> }> {
  const response = await fetch(`http://127.0.0.1:${web.server.port}/api/similarToImage${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${web.server.token}`, 'Content-Type': 'application/octet-stream' },
    body: bytes,
  });
  return { status: response.status, envelope: (await response.json()) as Envelope<SimilarResult> };
}

describe('reverse image search upload over HTTP', { skip: missing, timeout: 300_000 }, () => {
  before(async () => {
    const library = path.join(tempDir('likeness-upload-'), 'library');
    for (const category of CATEGORIES) copyInto(path.join(library, category), photosOf(category).slice(0, PER_CATEGORY));
    const db = path.join(path.dirname(library), 'library.db');
    const indexed = await runCli(['index', library, '--db', db], { env });
    assert.equal(indexed.code, 0, indexed.stderr);
    web = await startWebMode({ dbPath: db, port: 0, watch: false });
  });

  after(async () => {
    await web?.close();
  });

  it("finds the photos like an uploaded one: its own category first", async () => {
    for (const category of ['Leopards', 'Motorbikes']) {
      const outside = photosOf(category)[PER_CATEGORY + 1]; // not in the library
      const { status, envelope } = await upload(fs.readFileSync(outside), '?k=5');
      assert.equal(status, 200, JSON.stringify(envelope));
      assert.ok(envelope.ok);
      const results = envelope.value.results;
      assert.equal(results.length, 5);
      assert.deepEqual(envelope.value.queries, []);
      const folders = results.map((r) => path.basename(path.dirname(r.photo.path)));
      assert.equal(folders[0], category, `${path.basename(outside)}: ${folders.join(', ')}`);
      assert.ok(folders.filter((f) => f === category).length >= 3, `${category} fills most of the top 5: ${folders.join(', ')}`);
      for (let i = 1; i < results.length; i++) assert.ok(results[i - 1].score >= results[i].score, 'most similar first');
    }
  });

  it('says plainly when the bytes are no image, or when there are too many of them', async () => {
    const text = await upload(Buffer.from('these are the words of a text file, not a picture\n'.repeat(20)));
    assert.equal(text.status, 400);
    assert.ok(!text.envelope.ok);
    assert.match(text.envelope.error.message, /not a readable image/);

    const empty = await upload(Buffer.alloc(0));
    assert.equal(empty.status, 400);
    assert.ok(!empty.envelope.ok);
    assert.match(empty.envelope.error.message, /the image is empty/);

    const huge = await upload(Buffer.alloc(49 * 1024 * 1024, 0xff));
    assert.equal(huge.status, 413);
    assert.ok(!huge.envelope.ok);
    assert.equal(huge.envelope.error.message, 'request body over 48 MB: send a smaller image');
  });
});
