/**
 * Clusters against real categories: caltech101-dev (1,000 photos, 100 categories of 10) indexed
 * once, then `likeness clusters` at each level scored with BCubed precision / recall / F1 (a photo
 * in no cluster is its own singleton) and NMI over the clustered photos. Reported on all
 * categories and on each half of them, clustered alone (the defaults were tuned on the first half,
 * the even-numbered categories in name order; the second half is held out), beside the first
 * wave's setting (groupFactor 0.8) measured in the same run.
 *
 * LIKENESS_BENCH_CALTECH_DB=FILE keeps the indexed library there for the next run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../main/core/library.js';
import { clusterLibrary } from '../main/core/clusters/clusters-service.js';
import { bcubed, normalisedMutualInformation } from '../main/core/clusters/metrics.js';
import type { ClusterParams } from '../main/core/clusters/average-linkage.js';
import type { PhotoClustersQuery } from '../main/core/types.js';
import { DATASETS } from '../tests/helpers/datasets.js';

const CALTECH = path.join(DATASETS, 'caltech101-dev');

export async function benchClustersCaltech(): Promise<string[]> {
  process.env.LIKENESS_ANNOTATE ??= 'off';
  const temporary = process.env.LIKENESS_BENCH_CALTECH_DB ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-bench-caltech-'));
  const dbPath = process.env.LIKENESS_BENCH_CALTECH_DB ?? path.join(temporary!, 'caltech.db');
  const library = Library.open({ dbPath });
  const lines: string[] = [];
  try {
    const summary = await library.index([CALTECH]);
    lines.push(`caltech101-dev: ${summary.indexed} photos indexed now (${summary.seconds.toFixed(0)} s), the rest already in ${dbPath}`);
    const categories = fs.readdirSync(CALTECH).filter((c) => fs.statSync(path.join(CALTECH, c)).isDirectory()).sort();
    const photosOf = (cs: string[]) => cs.flatMap((c) => fs.readdirSync(path.join(CALTECH, c)).map((f) => path.join(CALTECH, c, f)));
    const sets: [string, string[] | undefined][] = [
      ['all 100 categories', undefined],
      ['tuning half (50)', photosOf(categories.filter((_, i) => i % 2 === 0))],
      ['held-out half (50)', photosOf(categories.filter((_, i) => i % 2 === 1))],
    ];
    const settings: [string, PhotoClustersQuery, Partial<ClusterParams>][] = [
      ['first wave (groupFactor 0.8)', {}, { groupFactor: 0.8 }],
      ['finer', { level: 'finer' }, {}],
      ['default', {}, {}],
      ['coarser', { level: 'coarser' }, {}],
    ];
    const ctx = { db: library.db, searchIndex: () => library.searchIndex() };
    for (const [setName, paths] of sets) {
      const photos = paths ?? photosOf(categories);
      const labelOf = (p: string) => path.basename(path.dirname(p));
      for (const [name, query, params] of settings) {
        const answer = clusterLibrary(ctx, { ...query, paths }, params);
        const clusterOf = new Map<string, number>();
        answer.clusters.forEach((c, k) => c.paths.forEach((p) => clusterOf.set(p, k)));
        const b = bcubed(photos.map(labelOf), photos.map((p) => clusterOf.get(p)));
        const clustered = photos.filter((p) => clusterOf.has(p));
        const nmi = normalisedMutualInformation(clustered.map(labelOf), clustered.map((p) => clusterOf.get(p)!));
        lines.push(
          `${setName.padEnd(19)} ${name.padEnd(29)} BCubed F1 ${b.f1.toFixed(3)} (precision ${b.precision.toFixed(3)}, recall ${b.recall.toFixed(3)}), ` +
            `NMI ${nmi.toFixed(3)} — ${answer.clusters.length} clusters holding ${((100 * clustered.length) / photos.length).toFixed(0)} %, ` +
            `largest ${answer.clusters[0]?.size ?? 0}; ${answer.seconds.toFixed(2)} s`,
        );
      }
    }
  } finally {
    await library.close();
    if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
  }
  return lines;
}
