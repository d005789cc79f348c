import path from 'node:path';
import { Library } from '../../core/library.js';
import { dbOption, jsonOption, parse, positiveInt, printJson, UsageError } from '../args.js';

export const usage = 'likeness clusters [--folder DIR] [--min-size N] [--db FILE] [--json]';

export async function clustersCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...dbOption, ...jsonOption, folder: { type: 'string' }, 'min-size': { type: 'string' } });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const minSize = Math.max(2, positiveInt(values['min-size'], '--min-size', 2));
  const library = Library.open({ dbPath: values.db });
  try {
    const answer = await library.clusters({ folder: values.folder ? path.resolve(values.folder) : undefined, minSize });
    if (values.json) {
      printJson(answer.clusters.map((c) => ({ id: c.id, representative: c.representative, paths: c.paths, size: c.size, cohesion: c.cohesion })));
      return 0;
    }
    const clustered = answer.clusters.reduce((n, c) => n + c.size, 0);
    console.log(
      `${answer.clusters.length} clusters holding ${clustered} photos; ${answer.unclustered} resemble nothing closely ` +
        `(threshold ${answer.threshold.toFixed(3)}, ${answer.seconds.toFixed(1)} s).`,
    );
    for (const c of answer.clusters) {
      console.log(`#${c.id}  ${c.size} photos  ${c.representative}`);
    }
    return 0;
  } finally {
    await library.close();
  }
}
