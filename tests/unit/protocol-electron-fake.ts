/**
 * A stand-in for the `electron` module, so the desktop app's main process can be loaded and
 * exercised in plain Node (the Electron binary cannot be installed here). It records what the app
 * configures — window options, permission and navigation handlers, IPC channels, the protocol
 * handler — for protocol-electron.test.ts to inspect. The library service (utilityProcess) is
 * simulated: calls echo their name, media id 1 resolves to `fake.mediaFile`.
 */
import { EventEmitter } from 'node:events';

type Fn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const fake = {
  calls: [] as string[],
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, Fn>(),
  ipcHandlers: new Map<string, Fn>(),
  windows: [] as FakeWindow[],
  opened: [] as string[],
  permissionRequest: null as Fn | null,
  permissionCheck: null as Fn | null,
  beforeRequest: null as { filter: { urls: string[] }; listener: Fn } | null,
  serviceMessages: [] as { type: string; call?: string }[],
  mediaFile: '' as string,
  menu: null as unknown,
};

class FakeFrame {
  constructor(public url: string) {}
}

export class FakeWebContents extends EventEmitter {
  mainFrame = new FakeFrame('likeness://app/index.html');
  sent: unknown[] = [];
  windowOpenHandler: Fn | null = null;
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return false;
  }
  setWindowOpenHandler(handler: Fn) {
    this.windowOpenHandler = handler;
  }
}

class FakeApp extends EventEmitter {
  enableSandbox() {
    fake.calls.push('app.enableSandbox');
  }
  setName(name: string) {
    fake.calls.push(`app.setName:${name}`);
  }
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  getPath() {
    return process.env.FAKE_ELECTRON_USER_DATA ?? '/nonexistent';
  }
  quit() {
    fake.calls.push('app.quit');
  }
  exit() {
    fake.calls.push('app.exit');
  }
}
export const app = new FakeApp();

export class FakeWindow extends EventEmitter {
  static getAllWindows() {
    return fake.windows;
  }
  static fromWebContents(contents: FakeWebContents) {
    return fake.windows.find((w) => w.webContents === contents) ?? null;
  }
  webContents = new FakeWebContents();
  loadedUrl = '';
  constructor(public options: { webPreferences: Record<string, unknown> }) {
    super();
    fake.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  maximize() {}
  show() {}
  isDestroyed() {
    return false;
  }
  isMaximized() {
    return false;
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1000, height: 800 };
  }
}
export { FakeWindow as BrowserWindow };

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    fake.schemes.push(...schemes);
  },
  handle(scheme: string, handler: Fn) {
    fake.protocolHandlers.set(scheme, handler);
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: Fn) {
      fake.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler: Fn) {
      fake.permissionCheck = handler;
    },
    setDevicePermissionHandler() {},
    setDisplayMediaRequestHandler() {},
    webRequest: {
      onBeforeRequest(filter: { urls: string[] }, listener: Fn) {
        fake.beforeRequest = { filter, listener };
      },
    },
    on() {},
  },
};

export const ipcMain = {
  handle(channel: string, handler: Fn) {
    if (fake.ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
    fake.ipcHandlers.set(channel, handler);
  },
  removeHandler(channel: string) {
    fake.ipcHandlers.delete(channel);
  },
};

export const shell = {
  openExternal(url: string) {
    fake.opened.push(url);
    return Promise.resolve();
  },
  showItemInFolder() {},
};

export const dialog = {
  showErrorBox(_title: string, message: string) {
    fake.calls.push(`dialog.showErrorBox:${message}`);
  },
  showOpenDialog() {
    return Promise.resolve({ canceled: true, filePaths: [] });
  },
};

export const Menu = {
  buildFromTemplate(template: unknown) {
    return { template, popup() {} };
  },
  setApplicationMenu(menu: unknown) {
    fake.menu = menu;
  },
};

export const clipboard = {
  writeText(text: string) {
    fake.calls.push(`clipboard.writeText:${text}`);
  },
};

export const nativeTheme = { shouldUseDarkColors: false };
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };

class FakeChild extends EventEmitter {
  postMessage(message: { type: string; seq: number; call?: string; req?: unknown; id?: number }) {
    fake.serviceMessages.push(message);
    setImmediate(() => {
      if (message.type === 'call') this.emit('message', { type: 'result', seq: message.seq, envelope: { ok: true, value: `service answered ${message.call}` } });
      if (message.type === 'media') {
        const file = message.id === 1 && fake.mediaFile ? { path: fake.mediaFile, contentType: 'image/jpeg' } : null;
        this.emit('message', { type: 'media', seq: message.seq, file });
      }
    });
  }
  kill() {}
}

export const utilityProcess = {
  fork(entry: string, args: string[]) {
    fake.calls.push(`utilityProcess.fork:${entry.split(/[\\/]/).pop()}:${args.join(' ')}`);
    const child = new FakeChild();
    setImmediate(() => child.emit('message', { type: 'ready', dbPath: '/fake.db' }));
    return child;
  },
};

export default { app, BrowserWindow: FakeWindow, clipboard, protocol, session, ipcMain, shell, dialog, Menu, nativeTheme, screen, utilityProcess };
