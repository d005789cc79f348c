import path from 'node:path';
import { Library } from '../../core/library.js';
import { granularityOf, MAX_GRANULARITY, MIN_GRANULARITY } from '../../core/clusters/levels.js';
import { dbOption, jsonOption, parse, positiveInt, printJson, UsageError } from '../args.js';

export const usage =
  'likeness clusters [--folder DIR] [--min-size N] [--level finer|default|coarser|NUMBER] [--db FILE] [--json]\n' +
  `    --level: finer gives smaller, tighter groups and leaves more photos out; coarser larger, looser ones holding more photos; ` +
  `a number from ${MIN_GRANULARITY} (coarsest) to ${MAX_GRANULARITY} (finest), 1 = default`;

export async function clustersCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...dbOption, ...jsonOption, folder: { type: 'string' }, 'min-size': { type: 'string' }, level: { type: 'string' } });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const minSize = Math.max(2, positiveInt(values['min-size'], '--min-size', 2));
  const level = values.level ?? 'default';
  if (granularityOf(level) === null) {
    throw new UsageError(`--level must be finer, default, coarser or a number from ${MIN_GRANULARITY} to ${MAX_GRANULARITY} (got "${level}")`);
  }
  const library = Library.open({ dbPath: values.db });
  try {
    const answer = await library.clusters({ folder: values.folder ? path.resolve(values.folder) : undefined, minSize, level });
    if (values.json) {
      printJson(answer.clusters.map((c) => ({ id: c.id, representative: c.representative, paths: c.paths, size: c.size, cohesion: c.cohesion })));
      return 0;
    }
    const clustered = answer.clusters.reduce((n, c) => n + c.size, 0);
    console.log(
      `${answer.clusters.length} clusters holding ${clustered} photos; ${answer.unclustered} resemble nothing closely ` +
        `(level ${level}, threshold ${answer.threshold.toFixed(3)}, ${answer.seconds.toFixed(1)} s).`,
    );
    for (const c of answer.clusters) {
      console.log(`#${c.id}  ${c.size} photos  ${c.representative}`);
    }
    return 0;
  } finally {
    await library.close();
  }
}
