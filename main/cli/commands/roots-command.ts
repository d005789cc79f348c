import { Library } from '../../core/library.js';
import type { RootState } from '../../core/types.js';
import { dbOption, jsonOption, parse, printJson, UsageError } from '../args.js';

export const usage = 'likeness roots [list | add <folder...> [--poll] | remove <folder...> | poll <folder...> [--off]] [--db FILE] [--json]';

/**
 * The library's folders. `add` registers folders (indexed by the next `index` or `watch`, or at
 * once by a running `watch`); `remove` forgets a folder's entries (the files on disk are never
 * touched); `poll` switches a folder to polling (network drives) or back with --off.
 */
export async function rootsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...dbOption,
    ...jsonOption,
    poll: { type: 'boolean', default: false },
    off: { type: 'boolean', default: false },
  });
  const [action = 'list', ...folders] = positionals;
  if (!['list', 'add', 'remove', 'poll'].includes(action)) throw new UsageError(`unknown roots action "${action}" (list, add, remove or poll)`);
  if (action !== 'list' && folders.length === 0) throw new UsageError(`roots ${action} needs at least one folder`);
  const library = Library.open({ dbPath: values.db });
  try {
    if (action === 'add') {
      for (const folder of folders) {
        const state = await library.addRoot(folder, values.poll ? { polling: true } : {});
        if (!values.json) console.log(`Added ${state.path}${state.nested ? ' (inside another folder of the library)' : ''}${state.polling ? ', watched by polling' : ''}.`);
      }
    } else if (action === 'remove') {
      for (const folder of folders) {
        const removed = await library.removeRoot(folder);
        if (!values.json) console.log(`Removed ${folder}: ${removed} entr${removed === 1 ? 'y' : 'ies'} left the index (no file on disk was touched).`);
      }
    } else if (action === 'poll') {
      for (const folder of folders) library.setRootPolling(folder, !values.off);
    }
    const roots = library.rootsWithState();
    if (values.json) printJson(roots);
    else if (action === 'list' || action === 'poll') printRoots(roots);
    return 0;
  } finally {
    await library.close();
  }
}

function printRoots(roots: RootState[]): void {
  if (roots.length === 0) {
    console.log('No folders yet: `likeness roots add <folder>` or `likeness index <folder>`.');
    return;
  }
  for (const r of roots) {
    const state = r.online ? 'online' : `OFFLINE since ${new Date(r.offlineSince!).toISOString()}`;
    const flags = [r.polling ? 'polling' : '', r.nested ? 'nested' : ''].filter(Boolean).join(', ');
    console.log(`${r.path}\n    ${state}${flags ? ` (${flags})` : ''}; ${r.indexed} indexed, ${r.pending} pending, ${r.failed} failed`);
  }
}
