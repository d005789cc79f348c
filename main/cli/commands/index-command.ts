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
