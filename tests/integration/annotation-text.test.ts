/**
 * Text in photos is searchable: generated images of text (a number plate, a sign, a receipt),
 * one stored sideways with an EXIF orientation, one upside down without any, and a real photo
 * with a caption burned in. A word of each finds its image first; part of a plate ("RE16")
 * finds "RE16 TGK".
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Library } from '../../main/core/library.js';
import { DATASETS, tempDir } from '../helpers/datasets.js';

const CALTECH = path.join(DATASETS, 'caltech101-dev');

function textSvg(lines: string[], options: { width?: number; background?: string; size?: number } = {}): Buffer {
  const width = options.width ?? 900;
  const size = options.size ?? 64;
  const height = lines.length * size * 1.6 + size;
  const text = lines
    .map((line, i) => `<text x="40" y="${size * 1.3 + i * size * 1.6}" font-family="DejaVu Sans" font-weight="bold" font-size="${size}" fill="#1a1a1a">${line}</text>`)
    .join('');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${options.background ?? '#f6f1e7'}"/>${text}</svg>`);
}

describe('text in photos', { timeout: 600_000 }, () => {
  const root = tempDir('likeness-ocr-');
  const photos = path.join(root, 'photos');
  const dbPath = path.join(root, 'library.db');
  const file = (n: number) => path.join(photos, `IMG_${String(n).padStart(4, '0')}.jpg`);
  let library: Library;

  before(async () => {
    fs.mkdirSync(photos);
    await sharp(textSvg(['RE16 TGK'], { background: '#f7d117', size: 110, width: 760 })).jpeg().toFile(file(1));
    await sharp(textSvg(['Bakery Lumière', 'open daily'])).jpeg().toFile(file(2));
    await sharp(textSvg(['RECEIPT 0042', 'Espresso 2.40', 'Croissant 1.90', 'TOTAL 4.30'], { size: 48 })).jpeg().toFile(file(3));
    // Stored sideways, upright by its EXIF orientation (6: turn 90° clockwise to view).
    const sideways = await sharp(await sharp(textSvg(['Platform Nine'])).png().toBuffer()).rotate(-90).jpeg().toBuffer();
    await sharp(sideways).withMetadata({ orientation: 6 }).toFile(file(4));
    // Upside down in its pixels, no EXIF to say so.
    await sharp(await sharp(textSvg(['Harbour Museum'])).png().toBuffer()).rotate(180).jpeg().toFile(file(5));
    // A real photo with a caption burned in.
    const photo = path.join(CALTECH, 'airplanes', fs.readdirSync(path.join(CALTECH, 'airplanes')).sort()[0]);
    const { width = 400, height = 300 } = await sharp(photo).metadata();
    const caption = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><text x="20" y="${height - 24}" font-family="DejaVu Sans" font-weight="bold" font-size="${Math.round(height / 9)}" fill="#ffffff" stroke="#000000" stroke-width="2">Lisbon 2019</text></svg>`,
    );
    await sharp(photo).composite([{ input: caption }]).jpeg().toFile(file(6));
    // Photos without text.
    let n = 7;
    for (const cat of ['sunflower', 'dalmatian']) {
      for (const name of fs.readdirSync(path.join(CALTECH, cat)).sort().slice(0, 2)) fs.copyFileSync(path.join(CALTECH, cat, name), file(n++));
    }
    library = Library.open({ dbPath, annotate: true, faces: false });
    await library.index([photos]);
    await library.annotate();
  });
  after(() => library.close());

  const firstOrSecond = async (word: string, expected: string) => {
    const hits = (await library.search({ text: word })).hits.map((h) => h.path);
    assert.ok(hits.slice(0, 2).includes(expected), `"${word}" → ${hits.map((h) => path.basename(h)).join(', ') || 'nothing'} (text: ${JSON.stringify(library.annotationsOf(library.photoAt(expected)!.id).text)})`);
  };

  test('a word of each image of text finds it', async () => {
    await firstOrSecond('bakery', file(2));
    await firstOrSecond('daily', file(2));
    await firstOrSecond('espresso', file(3));
    await firstOrSecond('receipt', file(3));
    await firstOrSecond('total', file(3));
  });

  test('part of a number plate finds it', async () => {
    await firstOrSecond('RE16', file(1));
    await firstOrSecond('TGK', file(1));
    await firstOrSecond('re16 tgk', file(1));
  });

  test('rotated photos are read upright (EXIF orientation; upside down without it)', async () => {
    await firstOrSecond('platform', file(4));
    await firstOrSecond('harbour', file(5));
    await firstOrSecond('museum', file(5));
  });

  test('a caption burned into a real photo is found', async () => {
    await firstOrSecond('lisbon', file(6));
    await firstOrSecond('2019', file(6));
  });

  test('photos without text have none, and a word found nowhere finds nothing', async () => {
    assert.equal(library.annotationsOf(library.photoAt(file(7))!.id).text, '');
    assert.deepEqual((await library.search({ text: 'zanzibar' })).hits, []);
  });
});
