/**
 * `npm run bench -- looks`: how well a group's explanation names the filter a copy went through
 * (duplicates/looks.ts). Real photos (caltech101-dev, one per category: even categories to tune
 * on, odd ones held out) through every everyday edit (tests/helpers/everyday-edits.ts), each
 * compared as a 256 px thumbnail with the original's, as `dupes` compares them. Per kind: the
 * share of copies whose filter is named (of the originals in colour, for colour filters: caltech
 * holds grey photos), and the share given a filter that was not applied.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { DATASETS } from '../tests/helpers/datasets.js';
import { everydayEdits, type EditPart } from '../tests/helpers/everyday-edits.js';
import { COLOURFUL, lookChanges, lookOf, sameFrame } from '../main/core/duplicates/looks.js';

/** The filter each kind of edit applies (kinds not listed apply none). */
export const EXPECTED_LOOK: Record<string, string> = {
  greyscale: 'greyscale',
  sepia: 'sepia',
  contrast: 'more contrast',
  vivid: 'more vivid',
};

export function lookSources(part: EditPart, count: number): string[] {
  const root = path.join(DATASETS, 'caltech101-dev');
  const categories = fs.readdirSync(root).filter((c) => fs.statSync(path.join(root, c)).isDirectory()).sort();
  return categories
    .filter((_, i) => i % 2 === (part === 'tune' ? 0 : 1))
    .slice(0, count)
    .map((c) => {
      const names = fs.readdirSync(path.join(root, c)).filter((n) => /\.jpe?g$/i.test(n)).sort();
      return path.join(root, c, names[0]);
    });
}

/** A 256 px thumbnail of `input` (as the indexer makes them) at a temporary path. */
export async function thumbnailOf(input: string | Buffer, dir: string, name: string): Promise<string> {
  const file = path.join(dir, `${name}.jpg`);
  await sharp(input).rotate().resize(256, 256, { fit: 'inside' }).jpeg({ quality: 85 }).toFile(file);
  return file;
}

export async function benchLooks(parts: EditPart[] = ['tune', 'held'], count = 30): Promise<string[]> {
  const lines: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-bench-looks-'));
  try {
    for (const part of parts) {
      const sources = lookSources(part, count);
      const frameOf = async (file: string) => {
        const m = await sharp(file).metadata();
        return { width: m.width ?? null, height: m.height ?? null };
      };
      const originalThumbs = await Promise.all(sources.map((s, i) => thumbnailOf(s, dir, `${part}-${i}`)));
      const originals = await Promise.all(originalThumbs.map(lookOf));
      const frames = await Promise.all(originalThumbs.map(frameOf));
      for (const edit of everydayEdits(part)) {
        let named = 0;
        let wrong = 0;
        let colourOriginals = 0;
        const wrongWords = new Map<string, number>();
        const expected = edit.kind === 'combo' && part === 'held' ? 'greyscale' : EXPECTED_LOOK[edit.kind];
        for (let i = 0; i < sources.length; i++) {
          const copyThumb = await thumbnailOf(await edit.make(sources[i]), dir, `${part}-${i}-${edit.kind}`);
          const copy = await lookOf(copyThumb);
          if (!copy || !originals[i]) continue;
          const words = lookChanges(originals[i]!, copy, sameFrame(frames[i], await frameOf(copyThumb)));
          const needsColour = expected !== 'more contrast';
          const colourful = originals[i]!.chroma >= COLOURFUL && originals[i]!.centreChroma >= COLOURFUL;
          if (!needsColour || colourful) colourOriginals++;
          if (expected && words.includes(expected) && (!needsColour || colourful)) named++;
          const others = words.filter((w) => w !== expected);
          if (others.length) wrong++;
          for (const w of others) wrongWords.set(w, (wrongWords.get(w) ?? 0) + 1);
        }
        const extra = [...wrongWords].map(([w, c]) => `${w} ×${c}`).join(', ');
        lines.push(
          `looks ${part === 'tune' ? 'tuning' : 'held-out'} ${edit.kind.padEnd(16)} ${expected ? `"${expected}" named ${named}/${colourOriginals}${expected === 'more contrast' ? '' : ' colour originals'}` : 'no filter'}; ` +
            `a filter not applied: ${wrong}/${sources.length}${extra ? ` (${extra})` : ''}`,
        );
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
