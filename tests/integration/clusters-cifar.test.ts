/**
 * Clusters of look-alike photos on cifar10-test-1000 (1,000 real 32×32 photos, 10 classes),
 * through the CLI contract, with the NMI against the folder labels reported and bounded below.
 * CIFAR is a hard case for a photo CNN (tiny, upscaled images): the figures here are a floor.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { normalisedMutualInformation } from '../../main/core/clusters/metrics.js';
import { CIFAR, CLI, tempDir } from '../helpers/datasets.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const run = promisify(execFile);
const db = path.join(tempDir('likeness-clusters-it-'), 'cifar.db');

async function likeness(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, ...args], { maxBuffer: 64 << 20 });
  return stdout;
}

describe('likeness clusters on cifar10-test-1000', () => {
  before(async () => {
    await likeness(['index', CIFAR, '--db', db]);
  });

  test('clusters --json: contract shape, 2+ photos each, largest first, NMI against the classes', async () => {
    const clusters = JSON.parse(await likeness(['clusters', '--db', db, '--json'])) as { id: number | string; representative: string; paths: string[] }[];
    const seen = new Set<string>();
    for (const c of clusters) {
      assert.ok(typeof c.id === 'number' || typeof c.id === 'string');
      assert.ok(path.isAbsolute(c.representative));
      assert.ok(c.paths.length >= 2);
      assert.equal(c.paths[0], c.representative, 'the representative comes first');
      for (const p of c.paths) {
        assert.ok(path.isAbsolute(p) && p.startsWith(CIFAR));
        assert.ok(!seen.has(p), 'a photo is in one cluster at most');
        seen.add(p);
      }
    }
    for (let i = 1; i < clusters.length; i++) assert.ok(clusters[i - 1].paths.length >= clusters[i].paths.length, 'ordered by size');
    const members = clusters.flatMap((c, k) => c.paths.map((p) => ({ label: path.basename(path.dirname(p)), cluster: k })));
    const nmi = normalisedMutualInformation(members.map((m) => m.label), members.map((m) => m.cluster));
    const coverage = members.length / 1000;
    let pure = 0;
    for (const c of clusters) {
      const counts = new Map<string, number>();
      for (const p of c.paths) counts.set(path.basename(path.dirname(p)), (counts.get(path.basename(path.dirname(p))) ?? 0) + 1);
      pure += Math.max(...counts.values());
    }
    console.log(
      `cifar10-test-1000: ${clusters.length} clusters, ${(coverage * 100).toFixed(1)} % of photos clustered, ` +
        `NMI ${nmi.toFixed(3)} (clustered photos), purity ${(pure / members.length).toFixed(3)}`,
    );
    assert.ok(coverage >= 0.6, `coverage ${coverage}`);
    assert.ok(clusters.length >= 30 && clusters.length <= 400, `${clusters.length} clusters`);
    assert.ok(nmi >= 0.35, `NMI ${nmi}`);
    assert.ok(pure / members.length >= 0.55, 'clusters are mostly one class each');
  });

  test('a folder alone clusters within itself', async () => {
    const folder = path.join(CIFAR, 'ship');
    const clusters = JSON.parse(await likeness(['clusters', '--db', db, '--json', '--folder', folder])) as { paths: string[] }[];
    assert.ok(clusters.length > 0);
    for (const c of clusters) for (const p of c.paths) assert.ok(p.startsWith(folder + path.sep));
  });
});
