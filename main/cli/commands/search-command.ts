import path from 'node:path';
import { Library } from '../../core/library.js';
import { ftsQuery } from '../../core/text-search/search-service.js';
import { dbOption, engineName, engineOption, jsonOption, parse, positiveInt, printJson } from '../args.js';

export const usage =
  'likeness search ["<text>"] [--like <image>]... [--unlike <image>]... [--folder DIR] [--from DATE] [--to DATE] [--tag TAG]... [--limit N] [--db FILE] [--json]';

export async function searchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...dbOption,
    ...jsonOption,
    ...engineOption,
    like: { type: 'string', multiple: true },
    unlike: { type: 'string', multiple: true },
    folder: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    tag: { type: 'string', multiple: true },
    limit: { type: 'string' },
  });
  const text = positionals.join(' ').trim();
  const library = Library.open({ dbPath: values.db, engine: engineName(values.engine), workers: 1 });
  try {
    const answer = await library.search({
      text: text || undefined,
      like: values.like?.map((p) => path.resolve(p)),
      unlike: values.unlike?.map((p) => path.resolve(p)),
      folder: values.folder ? path.resolve(values.folder) : undefined,
      from: values.from,
      to: values.to,
      tags: values.tag,
      limit: values.limit === undefined ? undefined : positiveInt(values.limit, '--limit', 50),
    });
    const nothingToLookFor = text !== '' && ftsQuery(text) === null;
    if (nothingToLookFor) console.error(`likeness search: "${text}" has no letters or digits to look for, so nothing matches.`);
    if (values.json) {
      printJson(answer.hits.map((h) => ({ path: h.path, score: h.score, matched: h.matched })));
      return 0;
    }
    if (answer.hits.length === 0 && !nothingToLookFor) console.log('No photos found.');
    answer.hits.forEach((h, i) => console.log(`${String(i + 1).padStart(4)}. ${h.score.toFixed(3)}  ${h.path}`));
    if (answer.total > answer.hits.length) console.log(`… ${answer.total - answer.hits.length} more (--limit).`);
    return 0;
  } finally {
    await library.close();
  }
}
