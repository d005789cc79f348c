import { Library } from '../../core/library.js';
import { dbOption, jsonOption, parse, printJson, UsageError } from '../args.js';
import { photoIdAt } from '../photo-ids.js';

export const usage = 'likeness tag <image> [<tag...>] [--remove] [--caption TEXT] [--db FILE] [--json]   (no tags: list them)';

export async function tagCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...dbOption,
    ...jsonOption,
    remove: { type: 'boolean', default: false },
    caption: { type: 'string' },
  });
  const [image, ...tags] = positionals;
  if (!image) throw new UsageError('tag needs an image');
  if (values.remove && tags.length === 0) throw new UsageError('--remove needs the tags to remove');
  const library = Library.open({ dbPath: values.db });
  try {
    const id = photoIdAt(library, image);
    let current: string[];
    if (tags.length) current = values.remove ? library.untag(id, tags) : library.tag(id, tags);
    else current = library.tagsOf(id);
    if (values.caption !== undefined) library.caption(id, values.caption);
    const { auto, text } = library.annotationsOf(id);
    if (values.json) printJson({ path: image, tags: current, auto, text });
    else {
      console.log(current.length ? current.join(', ') : '(no tags)');
      if (auto.length) console.log(`automatic: ${auto.map((a) => `${a.tag} (${a.score.toFixed(2)})`).join(', ')}`);
      if (text) console.log(`text: ${text.replace(/\n/g, ' | ')}`);
    }
    return 0;
  } finally {
    await library.close();
  }
}
