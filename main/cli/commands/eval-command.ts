import { evaluateFolder } from '../../core/eval/evaluate.js';
import { dbOption, engineName, engineOption, formatDuration, jsonOption, parse, printJson, progressPrinter, UsageError } from '../args.js';

export const usage = 'likeness eval <labelled-folder> [--json] [--sweep] [--engine auto|onnx|tfjs] [--db FILE]';

export async function evalCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...jsonOption, ...engineOption, ...dbOption, sweep: { type: 'boolean', default: false } });
  if (positionals.length !== 1) throw new UsageError('eval needs exactly one folder whose sub-folders are the class labels');
  const progress = progressPrinter();
  const report = await evaluateFolder(positionals[0], {
    engine: engineName(values.engine),
    dbPath: values.db,
    sweep: values.sweep,
    onProgress: progress.update,
  });
  progress.end();
  if (values.json) {
    printJson(report);
    return 0;
  }
  const pct = (x: number) => x.toFixed(4);
  console.log(`${report.folder}: ${report.images} images in ${report.classes} classes (${report.failed} failed)`);
  console.log(`  indexing  ${formatDuration(report.indexSeconds)}, ${report.imagesPerSecond.toFixed(1)} img/s`);
  console.log(`  queries   ${report.queryMsMean.toFixed(2)} ms mean (exact search over the library)`);
  console.log(`  mAP ${pct(report.mAP)}   P@1 ${pct(report.p1)}   P@10 ${pct(report.p10)}   (the product's ranking)`);
  console.log('  alternatives on the same vectors:');
  for (const v of report.variants) console.log(`    mAP ${pct(v.mAP)}  P@1 ${pct(v.p1)}  P@10 ${pct(v.p10)}  ${v.name}`);
  console.log('  clusters (BCubed over all photos, unclustered = singletons; NMI over the clustered):');
  for (const c of report.clusters) {
    console.log(
      `    ${c.level.padEnd(8)} F1 ${pct(c.bcubedF1)}  precision ${pct(c.bcubedPrecision)}  recall ${pct(c.bcubedRecall)}  NMI ${pct(c.nmi)}  ` +
        `${c.clusters} clusters holding ${(100 * c.coverage).toFixed(0)} %, largest ${c.largest}`,
    );
  }
  return 0;
}
