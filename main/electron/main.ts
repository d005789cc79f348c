/**
 * The desktop app's main process: window lifecycle, native menus, the `likeness:` protocol, the IPC
 * binding of the contract, and the library service (a utilityProcess) that does the real work.
 * Started by `npm start` (main/launch.ts) as `electron dist/main/electron/main.js [--db FILE]`.
 */
import { app, BrowserWindow, clipboard, dialog, Menu, shell, type IpcMainInvokeEvent } from 'electron';
import type { PhotoInfo, PhotoSummary } from '../../preload/contract.js';
import { ApiError, notFound } from '../api/errors.js';
import { broadcast, registerIpc, type LocalHandlers } from './ipc.js';
import { buildAppMenu, showPhotoMenu } from './menu.js';
import { handleAppProtocol, registerAppScheme } from './protocol.js';
import { hardenApp, hardenSession } from './security.js';
import { ServiceClient } from './service-client.js';
import { createMainWindow } from './window.js';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

// Before `ready`: sandbox every renderer, declare the app's scheme.
hardenApp();
registerAppScheme();
app.setName('Likeness');

let mainWindow: BrowserWindow | null = null;
let service: ServiceClient | null = null;
const windows = () => BrowserWindow.getAllWindows().map((w) => w.webContents);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.whenReady().then(start, (error: unknown) => {
    console.error('likeness: the desktop app could not start:', error);
    app.exit(1);
  });
}

function start(): void {
  hardenSession();
  const svc = new ServiceClient({
    dbPath: argValue('--db'),
    engine: argValue('--engine'),
    onEvent: (event) => broadcast(windows(), event),
    onFatal: (message) => dialog.showErrorBox('Likeness', `The library could not be opened.\n\n${message}`),
  });
  service = svc;
  svc.start();
  handleAppProtocol(svc);
  registerIpc(svc, localHandlers, windows);
  Menu.setApplicationMenu(buildAppMenu((command) => broadcast(windows(), { type: 'menu', command })));
  openWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

function openWindow(): void {
  mainWindow = createMainWindow();
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

/** The calls that need native UI, answered here rather than in the library service. */
function localHandlers(event: IpcMainInvokeEvent): LocalHandlers {
  const window = BrowserWindow.fromWebContents(event.sender);
  return {
    photoMenu: async ({ ids }) => {
      if (!window) return { action: null };
      const action = await showPhotoMenu(window, ids.length, true);
      if (action !== 'copy-path') return { action };
      // The clipboard is written here: the renderer has no clipboard permission.
      const answer = await service!.call('photos', { ids });
      if (answer.ok) clipboard.writeText((answer.value as PhotoSummary[]).map((p) => p.path).join('\n'));
      return { action: null };
    },
    pickFolder: async () => {
      const options = { title: 'Add a folder to the library', properties: ['openDirectory' as const] };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
    },
    reveal: async ({ id }) => {
      const answer = await service!.call('photo', { id });
      if (!answer.ok) throw new ApiError(answer.error.code, answer.error.message);
      const photo = answer.value as PhotoInfo | null;
      if (!photo) throw notFound(`photo ${id}`);
      shell.showItemInFolder(photo.path);
      return { ok: true as const };
    },
  };
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !service) return;
  // Let the service finish its current write and close the database before exiting.
  event.preventDefault();
  quitting = true;
  void service.stop().finally(() => app.quit());
});
