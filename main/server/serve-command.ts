/**
 * `likeness serve [--db FILE] [--port N] [--engine auto|onnx|tfjs]`: the web mode. The first line
 * on stdout is the URL to open (token included); it runs until SIGINT or SIGTERM.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineChoice } from '../../preload/contract.js';
import { guardProcess } from '../api/process-guard.js';
import { startWebMode } from './web-mode.js';

export const SERVE_USAGE = `Usage: likeness serve [--db FILE] [--port N] [--engine auto|onnx|tfjs] [--no-watch]

Serves the Likeness interface on http://127.0.0.1 (this machine only).
The first line printed is the URL to open; it carries a per-launch access token.

  --db FILE      library database (default: the platform data folder)
  --port N       port to listen on; 0 picks a free one (default 0)
  --engine NAME  embedding engine (default: the one saved in the settings, else auto)
  --no-watch     do not follow the library folders for changes (index on request only)`;

export interface ServeArgs {
  dbPath?: string;
  port: number;
  engine?: EngineChoice;
  watch?: false;
  help: boolean;
}

export function parseServeArgs(argv: string[]): ServeArgs {
  const out: ServeArgs = { port: 0, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--db':
        out.dbPath = value();
        break;
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${v}"`);
        out.port = n;
        break;
      }
      case '--engine': {
        const v = value();
        if (v !== 'auto' && v !== 'onnx' && v !== 'tfjs') throw new Error(`--engine must be auto, onnx or tfjs, not "${v}"`);
        out.engine = v;
        break;
      }
      case '--no-watch':
        if (inline !== undefined) throw new Error('--no-watch takes no value');
        out.watch = false;
        break;
      case '-h':
      case '--help':
        out.help = true;
        break;
      default:
        throw new Error(`unknown option for serve: ${arg}`);
    }
  }
  return out;
}

export async function serveCommand(argv: string[]): Promise<number> {
  let args: ServeArgs;
  try {
    args = parseServeArgs(argv);
  } catch (error) {
    process.stderr.write(`likeness serve: ${(error as Error).message}\n${SERVE_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  let web;
  try {
    web = await startWebMode({ dbPath: args.dbPath, port: args.port, engine: args.engine, watch: args.watch });
  } catch (error) {
    process.stderr.write(`likeness serve: ${(error as Error).message}\n`);
    return 1;
  }
  // From here on a background failure is shown in the UI as an indexing error; it never ends the server.
  const served = web;
  const unguard = guardProcess((error) => served.api.reportBackgroundError(error));
  process.stdout.write(`${web.url}\n`);
  process.stderr.write(`Likeness is serving ${web.library.dbPath} on 127.0.0.1 only. Press Ctrl+C to stop.\n`);
  await waitForSignal();
  await web.close();
  unguard();
  return 0;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

// `node dist/main/server/serve-command.js …` works too, without the CLI dispatcher.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  serveCommand(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
