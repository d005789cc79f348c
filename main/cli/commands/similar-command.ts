import { Library, DEFAULT_K } from '../../core/library.js';
import { dbOption, engineName, engineOption, jsonOption, parse, positiveInt, printJson, UsageError } from '../args.js';

export const usage = 'likeness similar <image...> [--k N] [--db FILE] [--json] [--engine auto|onnx|tfjs]';

export async function similarCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...dbOption, ...jsonOption, ...engineOption, k: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('similar needs at least one image');
  const k = positiveInt(values.k, '--k', DEFAULT_K);
  const library = Library.open({ dbPath: values.db, engine: engineName(values.engine), workers: 1 });
  try {
    const answers = await library.similar(positionals, k);
    if (values.json) {
      printJson(answers.map((a) => ({ query: a.query, results: a.results.map((r) => ({ path: r.path, score: r.score })) })));
    } else {
      for (const a of answers) {
        console.log(`${a.query}`);
        if (a.results.length === 0) console.log('  (the library is empty: run `likeness index <folder>` first)');
        a.results.forEach((r, i) => console.log(`  ${String(i + 1).padStart(3)}. ${r.score.toFixed(3)}  ${r.path}`));
      }
    }
    return 0;
  } finally {
    await library.close();
  }
}
