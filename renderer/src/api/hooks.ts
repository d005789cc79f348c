/** React glue over the client: context, a small query hook, event subscription. */
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { AppInfo, CallName, LikenessEvent } from '../../../preload/contract';
import type { LikenessClient } from './client';
import { ApiFailure } from './client';

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

export interface QueryState<T> {
  data: T | undefined;
  error: ApiFailure | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `fetcher` when `deps` change (and on `reload()`); keeps the previous data while reloading
 * so views do not flash, and ignores answers that arrive after a newer request was made.
 */
export function useQuery<T>(fetcher: () => Promise<T>, deps: unknown[]): QueryState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    fetcher().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== generation.current) return;
        setError(e instanceof ApiFailure ? e : new ApiFailure('internal', e instanceof Error ? e.message : String(e)));
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
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

/** Calls `reload` whenever the library changes (indexing finished, files resolved, tags, …). */
export function useReloadOnChange(reload: () => void): void {
  useEvents((event) => {
    if (event.type === 'library-changed') reload();
  });
}
