/**
 * Starts the web mode over one library: opens the core, builds the API over it and serves both
 * on 127.0.0.1. Used by `likeness serve` and by `npm start` when Electron cannot run.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineChoice, LikenessEvent } from '../../preload/contract.js';
import { createApi, type Api } from '../api/handlers.js';
import { launchEngine, settingsPathFor } from '../api/settings.js';
import { Library } from '../core/library.js';
import { defaultDbPath } from '../core/paths.js';
import { startServer, type RunningServer } from './server.js';

export interface WebModeOptions {
  dbPath?: string;
  port?: number;
  /** Asked for explicitly; else the saved setting (see launchEngine). */
  engine?: EngineChoice;
  rendererDir?: string;
  /** Follow the roots for changes (default true); indexing then runs continuously. */
  watch?: boolean;
}

export interface WebMode {
  url: string;
  server: RunningServer;
  api: Api;
  library: Library;
  close(): Promise<void>;
}

export async function startWebMode(options: WebModeOptions = {}): Promise<WebMode> {
  const dbPath = path.resolve(options.dbPath ?? defaultDbPath());
  fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  const library = Library.open({ dbPath, answerOffThread: true });
  library.useEngine(launchEngine(options.engine, library, settingsPathFor(dbPath)));
  const bus = new EventEmitter();
  bus.setMaxListeners(100);
  const api = createApi({
    library,
    dbPath,
    thumbnailDir: library.thumbnailDir,
    host: { mode: 'web' },
    version: packageVersion(),
    emit: (event) => bus.emit('event', event),
    onInternalError: (call, error) => console.error(`likeness: ${call} failed:`, error),
  });
  let server: RunningServer;
  try {
    server = await startServer({
      dispatch: api.dispatch,
      media: api.media,
      subscribe: (listener: (event: LikenessEvent) => void) => {
        bus.on('event', listener);
        return () => bus.off('event', listener);
      },
      port: options.port,
      rendererDir: options.rendererDir,
    });
  } catch (error) {
    await api.close();
    await library.close();
    throw error;
  }
  // Watching starts once the URL can be printed: reconciling a large library takes a while.
  if (options.watch !== false) {
    void api.watch().catch((error: unknown) => {
      console.error('likeness: watching the library failed:', error);
      api.reportBackgroundError(error);
    });
  }
  let closing: Promise<void> | null = null;
  return {
    url: server.url,
    server,
    api,
    library,
    close: () =>
      (closing ??= (async () => {
        await server.close();
        await api.close();
        await library.close();
      })()),
  };
}

export function packageVersion(): string {
  try {
    const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
