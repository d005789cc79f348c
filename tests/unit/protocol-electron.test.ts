/**
 * The desktop app's main process, loaded in plain Node against a recording stand-in for `electron`
 * (protocol-electron-fake.ts): the security checklist items it sets up, the IPC binding (one
 * channel per call, sender checked, requests validated), and the `likeness:` protocol (media only
 * through the library service, no traversal).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { register } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CALL_NAMES, IPC_PREFIX } from '../../preload/contract.js';
import type { fake as Fake, FakeWebContents } from './protocol-electron-fake.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let fake: typeof Fake;
let tmp: string;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-electron-'));
  process.env.FAKE_ELECTRON_USER_DATA = tmp;
  const fakeUrl = new URL('./protocol-electron-fake.js', import.meta.url).href;
  const hooks = `export async function resolve(specifier, context, next) {
    if (specifier === 'electron') return { url: ${JSON.stringify(fakeUrl)}, shortCircuit: true };
    return next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  ({ fake } = await import('./protocol-electron-fake.js'));
  fake.mediaFile = path.join(tmp, 'photo.jpg');
  fs.writeFileSync(fake.mediaFile, 'JPEG');
  process.argv.push('--db', path.join(tmp, 'lib.db'));
  await import('../../main/electron/main.js');
  await new Promise((r) => setTimeout(r, 20)); // whenReady → start()
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const window = () => fake.windows[0];

describe('Electron main process (against a stand-in electron module)', () => {
  it('sandboxes every renderer and declares a standard, secure app scheme before ready', () => {
    assert.ok(fake.calls.includes('app.enableSandbox'));
    assert.deepEqual(fake.schemes, [{ scheme: 'likeness', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
  });

  it('runs the library in a utility process, not on the main thread', () => {
    assert.ok(fake.calls.some((c) => c.startsWith('utilityProcess.fork:service-entry.cjs:--db ')), fake.calls.join('\n'));
    assert.ok(fs.existsSync(path.resolve(here, '..', '..', 'main', 'electron', 'service-entry.cjs')));
  });

  it('opens one window with context isolation, sandbox, no Node, and the preload', () => {
    assert.equal(fake.windows.length, 1);
    const prefs = window().options.webPreferences;
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.navigateOnDragDrop, false, 'a dropped file must not navigate the window to file://');
    assert.match(String(prefs.preload), /electron-preload\.cjs$/);
    assert.ok(fs.existsSync(String(prefs.preload)), 'the preload is compiled');
    assert.equal(window().loadedUrl, 'likeness://app/index.html');
  });

  it('denies every permission request and check', () => {
    let granted: boolean | null = null;
    fake.permissionRequest!({}, 'media', (ok: boolean) => (granted = ok));
    assert.equal(granted, false);
    fake.permissionRequest!({}, 'notifications', (ok: boolean) => (granted = ok));
    assert.equal(granted, false);
    assert.equal(fake.permissionCheck!({}, 'clipboard-read'), false);
  });

  it('cuts the renderer off the network and file://', () => {
    assert.ok(fake.beforeRequest);
    for (const u of ['http://*/*', 'https://*/*', 'file://*/*']) assert.ok(fake.beforeRequest.filter.urls.includes(u), u);
    let cancel = false;
    fake.beforeRequest.listener({ url: 'https://tracker.example/' }, (r: { cancel: boolean }) => (cancel = r.cancel));
    assert.equal(cancel, true);
  });

  it('refuses navigation away from the app and new windows; opens only http(s) outside', () => {
    const contents = window().webContents as FakeWebContents;
    const navigate = (url: string) => {
      let prevented = false;
      contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    assert.equal(navigate('https://evil.example/'), true);
    assert.equal(navigate('file:///etc/passwd'), true);
    assert.equal(navigate('likeness://app/index.html#/duplicates'), false);
    let attached = true;
    contents.emit('will-attach-webview', { preventDefault: () => (attached = false) });
    assert.equal(attached, false);
    assert.deepEqual(contents.windowOpenHandler!({ url: 'https://example.com/help' }), { action: 'deny' });
    assert.deepEqual(contents.windowOpenHandler!({ url: 'file:///etc/passwd' }), { action: 'deny' });
    assert.deepEqual(contents.windowOpenHandler!({ url: 'javascript:alert(1)' }), { action: 'deny' });
    assert.deepEqual(fake.opened, ['https://example.com/help']);
  });

  it('binds one IPC channel per contract call', () => {
    assert.deepEqual([...fake.ipcHandlers.keys()].sort(), CALL_NAMES.map((c) => IPC_PREFIX + c).sort());
  });

  it('answers only the main frame of its own window, and validates before forwarding', async () => {
    const contents = window().webContents;
    const trusted = { sender: contents, senderFrame: contents.mainFrame };
    const status = fake.ipcHandlers.get('likeness:status')!;
    const before = fake.serviceMessages.length;

    assert.deepEqual(await status(trusted, {}), { ok: true, value: 'service answered status' });
    assert.equal(fake.serviceMessages.length, before + 1);

    const stranger = { sender: { mainFrame: {} }, senderFrame: { url: 'likeness://app/index.html' } };
    const subFrame = { sender: contents, senderFrame: { url: 'likeness://app/index.html' } };
    const otherOrigin = { sender: contents, senderFrame: contents.mainFrame };
    for (const event of [stranger, subFrame, { sender: contents, senderFrame: null }]) {
      const r = await status(event, {});
      assert.equal(r.ok, false);
    }
    const saved = contents.mainFrame.url;
    contents.mainFrame.url = 'https://evil.example/';
    assert.equal((await status(otherOrigin, {})).ok, false, 'a frame showing another site is refused');
    contents.mainFrame.url = saved;

    const photo = fake.ipcHandlers.get('likeness:photo')!;
    const invalid = await photo(trusted, { id: '../../etc/passwd' });
    assert.equal(invalid.ok, false);
    assert.equal(invalid.error.code, 'invalid-request');
    assert.equal(fake.serviceMessages.length, before + 1, 'refused calls never reach the service');
  });

  it('answers native-UI calls in the main process', async () => {
    const contents = window().webContents;
    const trusted = { sender: contents, senderFrame: contents.mainFrame };
    const pick = await fake.ipcHandlers.get('likeness:pickFolder')!(trusted, {});
    assert.deepEqual(pick, { ok: true, value: { path: null } });
  });

  it('serves media through the service only, and refuses traversal', async () => {
    const handler = fake.protocolHandlers.get('likeness')!;
    const get = (url: string) => handler(new Request(url));
    const ok = await get('likeness://app/media/original/1');
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'JPEG');
    assert.equal(ok.headers.get('content-type'), 'image/jpeg');
    assert.match(String(ok.headers.get('content-security-policy')), /script-src 'self'/);
    for (const bad of [
      'likeness://app/media/original/2',
      'likeness://app/media/original/1/..',
      'likeness://app/media/..%2F..%2Fetc%2Fpasswd',
      'likeness://app/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      'likeness://other/index.html',
    ]) {
      assert.equal((await get(bad)).status, 404, bad);
    }
    const rendererBuilt = fs.existsSync(path.resolve(here, '..', '..', 'renderer', 'index.html'));
    if (rendererBuilt) assert.equal((await get('likeness://app/index.html')).status, 200);
  });

  it('sets a native application menu', () => {
    assert.ok(fake.menu, 'an application menu is set');
  });
});
