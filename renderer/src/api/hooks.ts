/** React glue over the client: context, connection state, event subscription (answers: queries.ts). */
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { AppInfo, CallName, LikenessEvent } from '../../../preload/contract';
import type { LikenessClient } from './client';

export const ClientContext = createContext<LikenessClient | null>(null);
export const AppInfoContext = createContext<AppInfo | null>(null);

export function useClient(): LikenessClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientContext.Provider>');
  return client;
}

export function useAppInfo(): AppInfo | null {
  return useContext(AppInfoContext);
}

/** Whether the core behind a call is present in this build (unknown yet counts as present). */
export function useAvailable(call: CallName): boolean {
  const info = useAppInfo();
  return !info || info.available.includes(call);
}

/** False while the app behind the page does not answer (the server stopped or crashed). */
export function useConnected(): boolean {
  const client = useClient();
  const [connected, setConnected] = useState(true);
  useEffect(() => client.onConnection(setConnected), [client]);
  return connected;
}

export function useEvents(listener: (event: LikenessEvent) => void): void {
  const client = useClient();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => client.subscribe((event) => ref.current(event)), [client]);
}
