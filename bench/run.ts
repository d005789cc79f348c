/**
 * `npm run bench`: prints throughput and latency figures, each beside a baseline measured in the
 * same run. Nothing here asserts a time limit. Sections can be picked: `npm run bench -- core engines`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { benchDecode, benchPipeline, benchQueries, generateLargerSet } from './core.js';
import { benchEngines } from './engines.js';
import { benchDuplicates } from './duplicates.js';
import { benchDupesEdits } from './dupes-edits.js';
import { benchDupesCalibration } from './dupes-calibration.js';
import { benchClusters } from './clusters.js';
import { benchClustersCaltech } from './clusters-caltech.js';
import { benchWatch } from './watch.js';
import { benchWhitening } from './whitening.js';
import { benchRerank } from './rerank.js';
import { benchCliIndex } from './cli.js';
import { benchResolveCrash } from './resolve-crash.js';
import { benchScale } from './scale.js';
import { benchLooks } from './looks.js';
import { benchBursts } from './bursts.js';
import { benchPhotos } from './photos.js';
import { annotationSets, benchAnnotationCost, benchObjectPrecision } from './annotation.js';
import { ferrariPhotos, FERRARI } from '../tests/helpers/datasets.js';
import { benchPeople } from './people.js';

type Section = { name: string; run: () => Promise<string[]> };

const sections: Section[] = [
  { name: 'decode', run: () => benchDecode(ferrariPhotos()) },
  {
    name: 'engines',
    run: async () => {
      const rgb = await Promise.all(
        ferrariPhotos(16).map(async (f) => new Uint8Array(await sharp(f).resize(224, 224, { fit: 'fill' }).removeAlpha().raw().toBuffer())),
      );
      return benchEngines(rgb);
    },
  },
  { name: 'pipeline', run: () => benchPipeline(FERRARI, 'ferrari-100 (1024 px)', ['onnx', 'tfjs']) },
  { name: 'cli', run: async () => benchCliIndex(FERRARI, 'ferrari-100') },
  {
    name: 'pipeline-large',
    run: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-bench-large-'));
      try {
        await generateLargerSet(ferrariPhotos(), dir, 400);
        return await benchPipeline(dir, 'generated-400 (1600 px)', ['onnx', 'tfjs']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  { name: 'queries', run: async () => benchQueries() },
  { name: 'whitening', run: benchWhitening },
  { name: 'rerank', run: () => benchRerank() },
  { name: 'duplicates', run: () => benchDuplicates() },
  { name: 'dupes-calibration', run: benchDupesCalibration },
  { name: 'dupes-edits', run: () => benchDupesEdits() },
  // One part alone (each takes minutes): the tuning or the held-out everyday edits.
  { name: 'dupes-edits-tune', run: () => benchDupesEdits(['tune']) },
  { name: 'dupes-edits-held', run: () => benchDupesEdits(['held']) },
  { name: 'clusters', run: () => benchClusters() },
  { name: 'clusters-caltech', run: benchClustersCaltech },
  { name: 'watch', run: benchWatch },
  { name: 'resolve-crash', run: () => benchResolveCrash() },
  { name: 'scale', run: benchScale },
  { name: 'looks', run: () => benchLooks() },
  { name: 'bursts', run: () => benchBursts() },
  { name: 'photos', run: benchPhotos },
  {
    name: 'annotation',
    run: async () => {
      const sets = annotationSets();
      return [
        ...(await benchAnnotationCost(sets.ferrari, 'ferrari-100')),
        ...(await benchAnnotationCost(sets.caltech, 'caltech101-dev (2 photos × 101 categories)')),
      ];
    },
  },
  { name: 'annotation-precision', run: benchObjectPrecision },
  { name: 'people', run: benchPeople },
];

async function main() {
  const wanted = process.argv.slice(2);
  console.log(`Likeness benchmarks — node ${process.version}, ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}`);
  for (const section of sections) {
    if (wanted.length && !wanted.includes(section.name)) continue;
    const started = performance.now();
    console.log(`\n## ${section.name}`);
    for (const line of await section.run()) console.log(line);
    console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
