/**
 * `npm start`: the desktop app when Electron can run here, else the web mode.
 *
 * Electron needs its binary (node_modules/electron/dist, downloaded at install time) and, on
 * Linux, a display (DISPLAY or WAYLAND_DISPLAY). When either is missing this prints one line that
 * says why, on stderr, then starts `likeness serve` and prints its URL (token included) on stdout.
 * Options: --db FILE, --port N (web mode), --engine NAME, --web (skip Electron).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export type ElectronCheck = { ok: true; binary: string } | { ok: false; reason: string };

/** Whether Electron can start here, and if not, why (one line). */
export function checkElectron(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ElectronCheck {
  let binary: unknown;
  try {
    // In plain Node, the `electron` package exports the path of its binary.
    binary = createRequire(import.meta.url)('electron');
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, reason: `the Electron binary is not installed (${detail})` };
  }
  if (typeof binary !== 'string' || !fs.existsSync(binary)) {
    return { ok: false, reason: `the Electron binary is missing${typeof binary === 'string' ? ` (${binary})` : ''}` };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  return { ok: true, binary };
}

function takeFlag(argv: string[], flag: string): boolean {
  const i = argv.indexOf(flag);
  if (i === -1) return false;
  argv.splice(i, 1);
  return true;
}

export async function launch(argv: string[]): Promise<number> {
  const args = [...argv];
  const webOnly = takeFlag(args, '--web');
  const check: ElectronCheck = webOnly ? { ok: false, reason: 'web mode requested (--web)' } : checkElectron();
  if (check.ok) {
    const entry = path.join(here, 'electron', 'main.js');
    const electronArgs = args.filter((a, i) => !(a === '--port' || args[i - 1] === '--port'));
    const child = spawn(check.binary, [entry, ...electronArgs], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    process.on('SIGINT', forward('SIGINT'));
    process.on('SIGTERM', forward('SIGTERM'));
    return new Promise((resolve) => {
      child.on('error', (error) => {
        process.stderr.write(`likeness: Electron could not start (${error.message}); starting the web mode instead.\n`);
        resolve(startWeb(args));
      });
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  }
  process.stderr.write(`likeness: not starting the desktop app: ${check.reason}. Starting the web mode instead.\n`);
  return startWeb(args);
}

async function startWeb(args: string[]): Promise<number> {
  const { serveCommand } = await import('./server/serve-command.js');
  return serveCommand(args);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  launch(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
