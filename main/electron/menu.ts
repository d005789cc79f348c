/**
 * Native menus: the application menu (with shortcuts that drive the renderer through `menu`
 * events) and the photo context menu behind the `photoMenu` call.
 */
import { BrowserWindow, Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, PhotoMenuAction } from '../../preload/contract.js';
import { openExternal } from './security.js';

export const PROJECT_URL = 'https://github.com/likeness-app/likeness';

export function buildAppMenu(send: (command: MenuCommand) => void): Menu {
  const isMac = process.platform === 'darwin';
  const item = (label: string, accelerator: string, command: MenuCommand): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => send(command),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('Add Folder…', 'CmdOrCtrl+O', 'library:add-folder'),
        item('Rescan Library', 'CmdOrCtrl+R', 'library:reindex'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        item('Undo Last Resolve', 'CmdOrCtrl+Z', 'edit:undo'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        item('Library', 'CmdOrCtrl+1', 'view:library'),
        item('Duplicates', 'CmdOrCtrl+2', 'view:duplicates'),
        item('Clusters', 'CmdOrCtrl+3', 'view:clusters'),
        item('Search', 'CmdOrCtrl+F', 'view:search'),
        item('People', 'CmdOrCtrl+5', 'view:people'),
        item('Settings', 'CmdOrCtrl+,', 'view:settings'),
        { type: 'separator' },
        item('Toggle Dark Theme', 'CmdOrCtrl+Shift+D', 'theme:toggle'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(process.env.LIKENESS_DEVTOOLS ? [{ role: 'toggleDevTools' as const }] : []),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Likeness on the Web', click: () => openExternal(PROJECT_URL) }],
    },
  ];
  return Menu.buildFromTemplate(template);
}

/** Pops up the photo menu in `window` and resolves with the chosen item (null when dismissed). */
export function showPhotoMenu(window: BrowserWindow, count: number, canReveal: boolean): Promise<PhotoMenuAction> {
  return new Promise((resolve) => {
    let chosen: PhotoMenuAction = null;
    const pick = (action: PhotoMenuAction) => () => {
      chosen = action;
    };
    const menu = Menu.buildFromTemplate([
      { label: 'Open', click: pick('open'), enabled: count === 1 },
      { label: count > 1 ? `More Like These ${count}` : 'Find Similar', click: pick('similar') },
      { type: 'separator' },
      { label: process.platform === 'darwin' ? 'Show in Finder' : 'Show in Folder', click: pick('reveal'), enabled: canReveal && count === 1 },
      { label: count > 1 ? 'Copy Paths' : 'Copy Path', click: pick('copy-path') },
    ]);
    // The click handler runs before the menu's close callback.
    menu.popup({ window, callback: () => setImmediate(() => resolve(chosen)) });
  });
}
