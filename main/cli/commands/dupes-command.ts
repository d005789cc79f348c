import path from 'node:path';
import { Library } from '../../core/library.js';
import type { DuplicateGroup, DuplicateTier } from '../../core/types.js';
import { indexedPhotoIdAt } from '../photo-ids.js';
import { dbOption, jsonOption, parse, printJson, UsageError } from '../args.js';

export const usage =
  'likeness dupes [--tier exact|near|similar] [--folder DIR] [--db FILE] [--json]\n' +
  '         likeness dupes resolve [--tier …] [--folder DIR] [--keep FILE]... [--dry-run] [--db FILE] [--json]\n' +
  '         likeness dupes undo [--db FILE] [--json]\n' +
  '         likeness dupes not <image> <image...> [--db FILE]\n' +
  '         likeness dupes reference [list | add <folder> | remove <folder>] [--db FILE] [--json]';

const TIERS: DuplicateTier[] = ['exact', 'near', 'similar'];

function tierOf(value: string | undefined): DuplicateTier {
  if (value === undefined) return 'near';
  if ((TIERS as string[]).includes(value)) return value as DuplicateTier;
  throw new UsageError(`--tier must be exact, near or similar (got "${value}")`);
}

export async function dupesCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'resolve') return resolve(rest);
  if (sub === 'undo') return undo(rest);
  if (sub === 'not') return notDuplicates(rest);
  if (sub === 'reference') return reference(rest);
  return list(argv);
}

async function list(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...dbOption, ...jsonOption, tier: { type: 'string' }, folder: { type: 'string' } });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const library = Library.open({ dbPath: values.db });
  tellInterrupted(library);
  try {
    const answer = await library.dupes({ tier: tierOf(values.tier), folder: values.folder ? path.resolve(values.folder) : undefined });
    if (values.json) {
      printJson(answer.groups.map(toJson));
      return 0;
    }
    if (answer.groups.length === 0) console.log(`No duplicates among ${answer.stats.files} photos.`);
    answer.groups.forEach((g, i) => printGroup(g, i + 1));
    if (answer.groups.length) {
      const extra = answer.groups.reduce((n, g) => n + g.paths.length - 1, 0);
      const when = answer.stats.kept ? 'as found last time: nothing has changed since' : `${answer.stats.seconds.toFixed(1)} s`;
      console.log(`${answer.groups.length} groups, ${extra} photos beyond the keepers (${when}).`);
      console.log('Send the extra copies to the trash with `likeness dupes resolve` (undo: `likeness dupes undo`).');
    }
    return 0;
  } finally {
    await library.close();
  }
}

function toJson(g: DuplicateGroup) {
  return {
    keeper: g.keeper,
    paths: g.paths,
    tier: g.tier,
    reason: `keeper: ${g.keeperReason}; ${g.evidence.map((e) => e.label).join('; ')}`,
    keeperReason: g.keeperReason,
    evidence: g.evidence.map((e) => ({ path: g.members.find((m) => m.id === e.b)?.path, kind: e.kind, label: e.label })),
  };
}

function printGroup(g: DuplicateGroup, n: number): void {
  console.log(`${n}. ${g.tier} — keep ${g.keeper}`);
  console.log(`     (${g.keeperReason})`);
  for (const m of g.members) {
    if (m.id === g.keeperId) continue;
    const e = g.evidence.find((x) => x.b === m.id);
    console.log(`   ${m.path}`);
    if (e) console.log(`     ${e.label}`);
  }
}

/** Tells (on stderr, so --json stays clean) what an interrupted resolution had left and what became of it. */
function tellInterrupted(library: Library): void {
  for (const note of library.interruptedTrash) console.error(`interrupted resolution: ${note.message}`);
}

async function resolve(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...dbOption,
    ...jsonOption,
    tier: { type: 'string' },
    folder: { type: 'string' },
    keep: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean', default: false },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const library = Library.open({ dbPath: values.db });
  tellInterrupted(library);
  try {
    const answer = await library.dupes({ tier: tierOf(values.tier), folder: values.folder ? path.resolve(values.folder) : undefined });
    const keepOverride = new Set((values.keep ?? []).map((p) => path.resolve(p)));
    const requests = answer.groups.map((g) => {
      const chosen = g.paths.filter((p) => keepOverride.has(p));
      const keep = chosen.length ? chosen : [g.keeper];
      return { keep, trash: g.paths.filter((p) => !keep.includes(p)) };
    });
    if (values['dry-run']) {
      if (values.json) printJson(requests);
      else for (const r of requests) for (const p of r.trash) console.log(`would trash ${p}   (keeping ${r.keep.join(', ')})`);
      return 0;
    }
    if (requests.length === 0) {
      if (values.json) printJson({ trashed: 0, paths: [], failed: [] });
      else console.log('No duplicates to resolve.');
      return 0;
    }
    const result = await library.resolveDupes(requests);
    if (values.json) printJson(result);
    else {
      for (const p of result.paths) console.log(`trashed ${p}`);
      for (const f of result.failed) console.error(`not trashed ${f.path}: ${f.reason}`);
      if (result.stopped) console.error(`Stopped: ${result.stopped}.`);
      console.log(`${result.trashed} files moved to ${result.destination}.${result.canUndo ? ' Undo with `likeness dupes undo`.' : ''}`);
    }
    return result.failed.length ? 1 : 0;
  } finally {
    await library.close();
  }
}

async function undo(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...dbOption, ...jsonOption });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const library = Library.open({ dbPath: values.db });
  try {
    const result = await library.undoLastResolve();
    if (values.json) printJson(result);
    else {
      for (const note of result.recovered ?? []) console.log(`interrupted resolution: ${note.message}`);
      if (result.restored === 0 && result.failed.length === 0) console.log('Nothing to undo.');
      for (const p of result.paths) console.log(`restored ${p}`);
      for (const f of result.failed) console.error(`not restored ${f.path}: ${f.reason}`);
    }
    return result.failed.length ? 1 : 0;
  } finally {
    await library.close();
  }
}

async function notDuplicates(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...dbOption });
  if (positionals.length < 2) throw new UsageError('"dupes not" needs at least two images');
  const library = Library.open({ dbPath: values.db });
  try {
    const added = library.notDuplicates(positionals.map((file) => indexedPhotoIdAt(library, file)));
    console.log(`Remembered: ${positionals.length} photos are not duplicates of one another (${added} new pairs).`);
    return 0;
  } finally {
    await library.close();
  }
}

/** Lists, adds or removes reference folders (their photos are always kept, never trashed by a resolve). */
async function reference(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...dbOption, ...jsonOption });
  const [action = 'list', folder, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (action === 'list' && folder !== undefined) throw new UsageError(`unexpected argument "${folder}"`);
  if (action !== 'list' && action !== 'add' && action !== 'remove') throw new UsageError(`"dupes reference" takes list, add <folder> or remove <folder> (got "${action}")`);
  if (action !== 'list' && folder === undefined) throw new UsageError(`"dupes reference ${action}" needs a folder`);
  const library = Library.open({ dbPath: values.db });
  try {
    const current = library.referenceFolders();
    const target = folder === undefined ? '' : path.resolve(folder);
    if (action === 'remove' && !current.includes(target)) {
      console.error(`not a reference folder: ${target}`);
      return 1;
    }
    const folders =
      action === 'add' ? library.setReferenceFolders([...current, target]) : action === 'remove' ? library.setReferenceFolders(current.filter((f) => f !== target)) : current;
    if (values.json) printJson(folders);
    else if (folders.length === 0) console.log('No reference folders.');
    else for (const f of folders) console.log(f);
    return 0;
  } finally {
    await library.close();
  }
}
