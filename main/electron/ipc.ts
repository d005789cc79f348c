/**
 * The contract over Electron IPC: one `ipcMain.handle` channel per call (`likeness:<call>`). Each
 * message is accepted only from the main frame of one of our windows showing the app's own URL;
 * it is validated with the call's schema here, then answered by the main process (native UI calls)
 * or forwarded to the library service, which validates again before running the handler.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CALL_NAMES, IPC_EVENT_CHANNEL, IPC_PREFIX, type Envelope, type LikenessEvent } from '../../preload/contract.js';
import { createDispatch, validateRequest, type Handlers } from '../api/dispatch.js';
import { APP_ORIGIN } from './app-url.js';
import type { ServiceClient } from './service-client.js';

export type LocalHandlers = Pick<Handlers, 'photoMenu' | 'pickFolder' | 'reveal'>;

export function isTrustedSender(event: IpcMainInvokeEvent, windows: () => WebContents[]): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (!windows().includes(event.sender)) return false;
  if (frame !== event.sender.mainFrame) return false;
  try {
    return new URL(frame.url).origin === APP_ORIGIN || frame.url.startsWith(`${APP_ORIGIN}/`);
  } catch {
    return false;
  }
}

export function registerIpc(service: ServiceClient, local: (event: IpcMainInvokeEvent) => LocalHandlers, windows: () => WebContents[]): () => void {
  for (const call of CALL_NAMES) {
    ipcMain.handle(IPC_PREFIX + call, async (event, raw: unknown): Promise<Envelope<unknown>> => {
      if (!isTrustedSender(event, windows)) {
        return { ok: false, error: { code: 'invalid-request', message: 'untrusted sender' } };
      }
      const checked = validateRequest(call, raw);
      if (!checked.ok) return { ok: false, error: checked.error.toBody() };
      if (call === 'photoMenu' || call === 'pickFolder' || call === 'reveal') {
        return createDispatch(local(event))(call, checked.req);
      }
      return service.call(call, checked.req);
    });
  }
  return () => {
    for (const call of CALL_NAMES) ipcMain.removeHandler(IPC_PREFIX + call);
  };
}

export function broadcast(windows: WebContents[], event: LikenessEvent): void {
  for (const contents of windows) if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event);
}
