import { Library } from '../../core/library.js';
import { dbOption, jsonOption, parse, printJson } from '../args.js';

export const usage = 'likeness status [--db FILE] [--json]';

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...dbOption, ...jsonOption });
  const library = Library.open({ dbPath: values.db });
  try {
    const s = library.status();
    if (values.json) {
      printJson(s);
      return 0;
    }
    console.log(`Library: ${library.dbPath}`);
    if (s.readOnly) console.log(`Read-only: ${s.readOnly}.`);
    console.log(`Indexed ${s.indexed}, pending ${s.pending}, failed ${s.failed}.`);
    const roots = library.roots();
    if (roots.length) console.log(`Folders: ${roots.join(', ')}`);
    if (s.failures.length) {
      console.log('Failures:');
      for (const f of s.failures) console.log(`  ${f.path}\n      ${f.reason}`);
    }
    return 0;
  } finally {
    await library.close();
  }
}
