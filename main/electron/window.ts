/** The main window, with every webPreferences item of Electron's security checklist set. */
import { BrowserWindow, nativeTheme } from 'electron';
import { APP_INDEX_URL } from './app-url.js';
import { preloadPath } from './preload-path.js';
import { loadWindowState, trackWindowState } from './window-state.js';

export function createMainWindow(): BrowserWindow {
  const state = loadWindowState();
  const window = new BrowserWindow({
    width: state?.bounds.width ?? 1360,
    height: state?.bounds.height ?? 880,
    x: state?.bounds.x,
    y: state?.bounds.y,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Likeness',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#18181c' : '#ffffff',
    titleBarStyle: process.platform === 'darwin' ? 'hiddenInset' : 'default',
    webPreferences: {
      preload: preloadPath(),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: !!process.env.LIKENESS_DEVTOOLS,
    },
  });
  if (state?.maximized) window.maximize();
  trackWindowState(window);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_INDEX_URL);
  return window;
}
