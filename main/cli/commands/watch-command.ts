import { Library } from '../../core/library.js';
import type { WatchEvent } from '../../core/watch/watcher.js';
import { dbOption, engineName, engineOption, jsonOption, parse, positiveInt, UsageError } from '../args.js';

export const usage = 'likeness watch [folder...] [--db FILE] [--poll] [--json] [--engine auto|onnx|tfjs] [--workers N]';

/**
 * Adds the folders as roots (none: watch the library's roots), indexes what changed since the
 * last run, then keeps watching and prints one line per change until SIGINT/SIGTERM, on which it
 * finishes the batch in flight and exits 0. `--json` prints one JSON object per line.
 */
export async function watchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...dbOption,
    ...engineOption,
    ...jsonOption,
    workers: { type: 'string' },
    poll: { type: 'boolean', default: false },
    'poll-interval': { type: 'string' },
  });
  const workers = values.workers === undefined ? undefined : positiveInt(values.workers, '--workers', 1);
  const pollIntervalMs = values['poll-interval'] === undefined ? undefined : positiveInt(values['poll-interval'], '--poll-interval', 2000);
  const library = Library.open({ dbPath: values.db, engine: engineName(values.engine), workers });
  const print = (event: WatchEvent) => console.log(values.json ? JSON.stringify({ ...event, at: new Date().toISOString() }) : formatEvent(event));
  let finish!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const onSignal = (signal: string) => {
    if (!values.json) console.error(`\n${signal}: finishing the current batch…`);
    finish(0);
  };
  const sigint = () => onSignal('SIGINT');
  const sigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  let fatal: string | null = null;
  try {
    for (const folder of positionals) await library.addRoot(folder, values.poll ? { polling: true } : {});
    if (library.roots().length === 0) throw new UsageError('watch needs a folder (the library has none yet)');
    await library.watch({
      polling: values.poll || undefined,
      pollIntervalMs,
      onEvent: (event) => {
        print(event);
        if (event.type === 'fatal') {
          fatal = event.reason;
          finish(1);
        }
      },
    });
    const code = await finished;
    if (fatal) console.error(`likeness watch: ${fatal}`);
    return code;
  } finally {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
    await library.close();
  }
}

export function formatEvent(event: WatchEvent): string {
  switch (event.type) {
    case 'ready':
      return `ready    watching ${event.roots.join(', ') || '(no reachable folder)'}; ${event.pending} file(s) to index`;
    case 'added':
      return `added    ${event.path}${event.copyOf ? `  (copy of ${event.copyOf})` : ''}`;
    case 'updated':
      return `updated  ${event.path}`;
    case 'moved':
      return `moved    ${event.from} -> ${event.to}`;
    case 'removed':
      return `removed  ${event.path}`;
    case 'failed':
      return `failed   ${event.path}: ${event.reason}`;
    case 'offline':
      return `offline  ${event.root}: ${event.reason} (its entries are kept)`;
    case 'online':
      return `online   ${event.root}`;
    case 'root-added':
      return `root+    ${event.root}`;
    case 'root-removed':
      return `root-    ${event.root} (${event.removed} entries forgotten)`;
    case 'problem':
      return `problem  ${event.path}: ${event.reason}`;
    case 'fatal':
      return `fatal    ${event.reason}`;
  }
}
