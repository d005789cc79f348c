import { Library } from '../../core/library.js';
import { dbOption, jsonOption, parse, printJson, UsageError } from '../args.js';

export const usage = 'likeness model [list | use <name|manifest.json> [--now]] [--db FILE] [--json]';

/**
 * The library's embedding model. `list` shows the models found in the model folders (the repo's
 * `models/` and $LIKENESS_MODELS_DIR) and which one the library uses; `use` chooses one: the next
 * `index` or `watch` re-embeds the library with it (at once with --now), and the old vectors keep
 * answering queries until every photo has a new one.
 */
export async function modelCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...dbOption, ...jsonOption, now: { type: 'boolean', default: false } });
  const [action = 'list', ...rest] = positionals;
  if (action !== 'list' && action !== 'use') throw new UsageError(`unknown model action "${action}" (list or use)`);
  if (action === 'use' && rest.length !== 1) throw new UsageError('model use needs one model name or manifest path');
  const library = Library.open({ dbPath: values.db });
  try {
    if (action === 'list') {
      const models = library.models();
      if (values.json) printJson(models);
      else {
        for (const m of models) {
          const marks = [m.target ? 'selected' : '', m.serving ? 'serving' : ''].filter(Boolean).join(', ');
          console.log(`${m.target ? '*' : ' '} ${m.id}${marks ? ` (${marks})` : ''}\n    ${m.manifestPath ?? 'bundled'}; ${m.inputSize}px ${m.layout}, pooling ${m.pooling}`);
        }
      }
      return 0;
    }
    const change = await library.setModel(rest[0]);
    if (values.now && change.toReembed > 0) {
      const roots = library.roots();
      const summary = await library.index(roots);
      const after = { ...change, serving: library.modelId, toReembed: library.files.countLackingVector(change.target), indexed: summary.indexed, failed: summary.failed };
      if (values.json) printJson(after);
      else console.log(`Model ${after.target}: re-embedded ${summary.indexed} photo(s)${summary.failed ? `, ${summary.failed} failed` : ''}; serving ${after.serving}.`);
      return 0;
    }
    if (values.json) printJson(change);
    else if (change.toReembed === 0) console.log(`Model ${change.target} selected; nothing to re-embed.`);
    else {
      console.log(
        `Model ${change.target} selected. The next \`likeness index\` or \`likeness watch\` re-embeds ${change.toReembed} photo(s); ` +
          `until then searches use ${change.serving}.`,
      );
    }
    return 0;
  } finally {
    await library.close();
  }
}
