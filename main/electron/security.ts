/**
 * App-wide hardening, following Electron's security checklist:
 *  - every renderer sandboxed (`app.enableSandbox()`), context isolation on, no Node integration
 *    (set per window in window.ts);
 *  - permission requests and checks denied (camera, notifications, clipboard-read, …);
 *  - navigation away from the app, redirects, new windows and <webview> refused; http(s) links
 *    open in the user's browser through `shell.openExternal`, nothing else does;
 *  - the renderer cannot reach the network or `file://` at all (requests cancelled).
 */
import { app, session, shell, type Session, type WebContents } from 'electron';
import { isAppUrl, isSafeExternalUrl } from './app-url.js';

export function hardenApp(): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
}

export function hardenSession(ses: Session = session.defaultSession): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file://*/*', 'ftp://*/*'] },
    (_details, callback) => callback({ cancel: true }),
  );
  ses.on('will-download', (event) => event.preventDefault());
}

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
}

/** Opens plain http(s) URLs in the default browser; refuses every other scheme. */
export function openExternal(url: string): boolean {
  if (!isSafeExternalUrl(url)) return false;
  void shell.openExternal(url);
  return true;
}
