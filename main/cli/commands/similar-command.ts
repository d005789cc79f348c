import path from 'node:path';
import { Library, DEFAULT_K } from '../../core/library.js';
import { dbOption, engineName, engineOption, jsonOption, parse, positiveInt, printJson, UsageError } from '../args.js';

export const usage = 'likeness similar <image...> [--k N] [--db FILE] [--json] [--engine auto|onnx|tfjs]';

export async function similarCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...dbOption, ...jsonOption, ...engineOption, k: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('similar needs at least one image');
  const k = positiveInt(values.k, '--k', DEFAULT_K);
  const library = Library.open({ dbPath: values.db, engine: engineName(values.engine), workers: 1 });
  try {
    // One unreadable query must not cost the answers to all the others: it gets an empty result
    // list and its reason (on stderr, and as an extra "error" field in --json).
    const answers: { query: string; results: { path: string; score: number }[]; error?: string }[] = [];
    for (const query of positionals) {
      try {
        const [answer] = await library.similar([query], k);
        answers.push({ query: answer.query, results: answer.results.map((r) => ({ path: r.path, score: r.score })) });
      } catch (error) {
        const reason = (error as Error).message;
        console.error(`likeness similar: ${reason}`);
        answers.push({ query: path.resolve(query), results: [], error: reason });
      }
    }
    if (answers.every((a) => a.error)) return 1;
    if (values.json) {
      printJson(answers);
    } else {
      for (const a of answers) {
        console.log(`${a.query}`);
        if (a.error) console.log(`  (${a.error})`);
        else if (a.results.length === 0) console.log('  (the library is empty: run `likeness index <folder>` first)');
        a.results.forEach((r, i) => console.log(`  ${String(i + 1).padStart(3)}. ${r.score.toFixed(3)}  ${r.path}`));
      }
    }
    return 0;
  } finally {
    await library.close();
  }
}
