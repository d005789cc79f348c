import { Library } from '../../core/library.js';
import { dbOption, engineName, engineOption, formatDuration, parse, positiveInt, progressPrinter, UsageError } from '../args.js';

export const usage = 'likeness index <folder...> [--db FILE] [--engine auto|onnx|tfjs] [--workers N]';

export async function indexCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...dbOption, ...engineOption, workers: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('index needs at least one folder');
  const workers = values.workers === undefined ? undefined : positiveInt(values.workers, '--workers', 1);
  const library = Library.open({ dbPath: values.db, engine: engineName(values.engine), workers });
  const progress = progressPrinter();
  try {
    const s = await library.index(positionals, { onProgress: progress.update });
    progress.end();
    const rate = s.indexed + s.failed > 0 ? ` (${((s.indexed + s.failed) / Math.max(s.seconds, 1e-3)).toFixed(1)} img/s)` : '';
    const reembedded = s.reembedded ?? 0;
    const resumed = s.resumed ? ` (${s.resumed} of them left pending by an earlier run)` : '';
    console.log(
      `Indexed ${Math.max(0, s.indexed - reembedded)} new or changed${resumed}, ${s.unchanged} unchanged` +
        (reembedded ? ` (${reembedded} of them re-embedded for the library's model)` : '') +
        `, ${s.moved ? `${s.moved} moved, ` : ''}${s.removed} removed, ${s.failed} failed${failedInAll(library, s.failed)} ` +
        `of ${s.scanned} images in ${formatDuration(s.seconds)}${rate}.` +
        (s.offline?.length ? ` Offline, entries kept: ${s.offline.join(', ')}.` : '') +
        (s.failed || library.status().failed ? ' See `likeness status` for the reasons.' : ''),
    );
    if (library.annotationOn || library.facesOn) await annotateAll(library, progress);
    return 0;
  } finally {
    progress.end();
    await library.close();
  }
}

/** Files that failed in earlier passes (and did not change since) are not retried: say how many fail in all. */
function failedInAll(library: Library, failedNow: number): string {
  const total = library.status().failed;
  return total === failedNow ? '' : ` (${total} in the library)`;
}

/** The one-shot index returns when annotation (objects and text, after embedding) is done too. */
async function annotateAll(library: Library, progress: ReturnType<typeof progressPrinter>): Promise<void> {
  const started = Date.now();
  let a;
  try {
    a = await library.annotate({
      onProgress: (p) => {
        const seconds = (Date.now() - started) / 1000;
        const rate = p.done / Math.max(seconds, 1e-3);
        progress.update({ phase: 'indexing', done: p.done, total: p.total, failed: p.failed, imagesPerSecond: rate, etaSeconds: rate > 0 ? (p.total - p.done) / rate : null });
      },
    });
  } catch (error) {
    // The photos are indexed and searchable by similarity; only their automatic tags are missing.
    progress.end();
    console.error(`likeness: photos were not annotated (automatic tags and text): ${(error as Error).message}`);
    return;
  }
  progress.end();
  if (a.annotated + a.failed === 0) return;
  console.log(
    `Annotated ${a.annotated} photos (${[library.annotationOn ? 'objects and text' : '', library.facesOn ? 'faces' : ''].filter(Boolean).join(', ')})${a.failed ? `, ${a.failed} failed` : ''} in ${formatDuration((Date.now() - started) / 1000)}.`,
  );
}
