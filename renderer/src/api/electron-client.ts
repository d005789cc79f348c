/** The contract over Electron IPC, through the methods the preload exposes on `window.likeness`. */
import type { CallName, PreloadApi, Res } from '../../../preload/contract';
import { ApiFailure, connectionTracker, type ArgsOf, type LikenessClient } from './client';

declare global {
  interface Window {
    likeness?: PreloadApi;
  }
}

export function createElectronClient(bridge: PreloadApi): LikenessClient {
  const connection = connectionTracker();
  return {
    mode: 'electron',
    async call<K extends CallName>(name: K, ...args: ArgsOf<K>): Promise<Res<K>> {
      const method = bridge[name] as unknown as (req: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
      let envelope;
      try {
        envelope = await method(args[0] ?? {});
      } catch (error) {
        connection.set(false);
        throw new ApiFailure('unreachable', error instanceof Error ? error.message : String(error));
      }
      connection.set(true);
      if (!envelope.ok) {
        const error = envelope.error ?? { code: 'internal', message: 'unknown error' };
        throw new ApiFailure(error.code as ApiFailure['code'], error.message);
      }
      return envelope.value as Res<K>;
    },
    subscribe: (listener) => bridge.onEvent(listener),
    onConnection: (listener) => connection.listen(listener),
  };
}
