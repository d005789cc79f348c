/**
 * Clusters of a small real library through the CLI contract: 60 caltech101-dev photos of six
 * categories (below the 64 photos a whitening needs), then the granularity levels and their errors.
 * Before centring, raw CNN vectors were all alike and the whole library came back as one cluster.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bcubed } from '../../main/core/clusters/metrics.js';
import { DATASETS, tempDir } from '../helpers/datasets.js';
import { runCli } from '../helpers/cli.js';

// Not about automatic tags and text: skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const CALTECH = path.join(DATASETS, 'caltech101-dev');
const CATEGORIES = ['Leopards', 'Motorbikes', 'accordion', 'airplanes', 'anchor', 'ant'];
const db = path.join(tempDir('likeness-clusters-levels-'), 'small.db');

async function clusters(...args: string[]): Promise<{ representative: string; paths: string[]; size: number }[]> {
  const result = await runCli(['clusters', '--db', db, '--json', ...args]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

const held = (cs: { paths: string[] }[]) => cs.reduce((n, c) => n + c.paths.length, 0);

describe('likeness clusters on a small library (six caltech101-dev categories, 60 photos)', () => {
  before(async () => {
    const indexed = await runCli(['index', ...CATEGORIES.map((c) => path.join(CALTECH, c)), '--db', db]);
    assert.equal(indexed.code, 0, indexed.stderr);
  });

  test('it is not one cluster: groups that are mostly one category each', async () => {
    const found = await clusters();
    const photos = CATEGORIES.flatMap((c) => fs.readdirSync(path.join(CALTECH, c)).map((f) => path.join(CALTECH, c, f)));
    assert.equal(photos.length, 60);
    const clusterOf = new Map<string, number>();
    found.forEach((c, k) => c.paths.forEach((p) => clusterOf.set(p, k)));
    assert.ok([...clusterOf.keys()].every((p) => photos.includes(p)));
    const scores = bcubed(photos.map((p) => path.basename(path.dirname(p))), photos.map((p) => clusterOf.get(p)));
    console.log(`small library: ${found.length} clusters holding ${held(found)} of 60 photos, BCubed precision ${scores.precision.toFixed(3)}, recall ${scores.recall.toFixed(3)}, F1 ${scores.f1.toFixed(3)}`);
    assert.ok(found.length >= 4, `${found.length} clusters`);
    assert.ok(scores.precision >= 0.75, `precision ${scores.precision}`);
    assert.ok(scores.f1 >= 0.5, `F1 ${scores.f1}`);
  });

  test('--level: finer holds fewer photos than the default, coarser more; the JSON shape is the same', async () => {
    const [finer, normal, coarser, numeric] = [await clusters('--level', 'finer'), await clusters(), await clusters('--level', 'coarser'), await clusters('--level', '1')];
    assert.ok(held(finer) < held(normal), `finer ${held(finer)} < default ${held(normal)}`);
    assert.ok(held(coarser) > held(normal), `coarser ${held(coarser)} > default ${held(normal)}`);
    assert.deepEqual(numeric, normal, '--level 1 is the default');
    for (const c of [...finer, ...coarser]) {
      assert.deepEqual(Object.keys(c).sort(), ['cohesion', 'id', 'paths', 'representative', 'size']);
      assert.equal(c.paths[0], c.representative);
    }
  });

  test('--level refuses what it does not know, in words', async () => {
    for (const bad of ['huge', '7']) {
      const result = await runCli(['clusters', '--db', db, '--level', bad]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /--level must be finer, default, coarser or a number from 0.5 to 2/);
    }
  });
});
