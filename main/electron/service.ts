/**
 * The library service: the entry point of the utilityProcess the desktop app starts. It opens the
 * library, builds the API over it (main/api) and answers the main process's messages, so the
 * database, indexing and inference never run on Electron's main thread.
 *
 * Desktop-only calls (context menu, folder picker, reveal) are answered by the main process itself
 * and never reach this process.
 */
import path from 'node:path';
import { createApi } from '../api/handlers.js';
import { guardProcess } from '../api/process-guard.js';
import { launchEngine, settingsPathFor } from '../api/settings.js';
import { Library } from '../core/library.js';
import { defaultDbPath } from '../core/paths.js';
import { packageVersion } from '../server/web-mode.js';
import type { FromService, ToService } from './service-protocol.js';
import type { EngineChoice } from '../../preload/contract.js';

const port = process.parentPort;
if (!port) {
  console.error('likeness: the library service must be started by the desktop app');
  process.exit(1);
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const send = (message: FromService) => port.postMessage(message);

try {
  const dbPath = path.resolve(argValue('--db') ?? defaultDbPath());
  const engine = argValue('--engine') as EngineChoice | undefined;
  const library = Library.open({ dbPath, answerOffThread: true });
  library.useEngine(launchEngine(engine, library, settingsPathFor(dbPath)));
  const api = createApi({
    library,
    dbPath,
    thumbnailDir: library.thumbnailDir,
    host: { mode: 'electron' },
    version: packageVersion(),
    emit: (event) => send({ type: 'event', event }),
    onInternalError: (call, error) => console.error(`likeness: ${call} failed:`, error),
  });

  // A background failure (watcher callback, stray rejection) is shown as an indexing error in the
  // window; it never ends the service, which would leave the window without its library.
  guardProcess((error) => api.reportBackgroundError(error));

  port.on('message', (e: Electron.MessageEvent) => {
    const message = e.data as ToService;
    switch (message.type) {
      case 'call':
        void api.dispatch(message.call, message.req).then((envelope) => send({ type: 'result', seq: message.seq, envelope }));
        break;
      case 'media':
        api.media(message.kind, message.id).then(
          (file) => send({ type: 'media', seq: message.seq, file }),
          () => send({ type: 'media', seq: message.seq, file: null }),
        );
        break;
      case 'shutdown':
        void api
          .close()
          .then(() => library.close())
          .finally(() => process.exit(0));
        break;
    }
  });
  send({ type: 'ready', dbPath });
  // Follow the library folders for changes while the app runs (the core reconciles them first).
  if (!process.argv.includes('--no-watch')) {
    void api.watch().catch((error: unknown) => {
      console.error('likeness: watching the library failed:', error);
      api.reportBackgroundError(error);
    });
  }
} catch (error) {
  send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
