/**
 * The renderer's data layer: one react-query cache of contract answers, keyed `[call, request]`.
 * Answers stay until something says they changed (a change event, see live.ts, or the view that
 * changed them asking again): nothing is re-fetched on a timer or on window focus.
 */
import { keepPreviousData, QueryClient, useQuery, type UseQueryOptions } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { CallName, Req, Res } from '../../../preload/contract';
import { ApiFailure } from './client';
import { useClient } from './hooks';

declare module '@tanstack/react-query' {
  interface Register {
    /** Every failed call surfaces as an ApiFailure (see `asFailure`). */
    defaultError: ApiFailure;
  }
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A failed call is shown at once with its Retry button; the app is local, so trying again
        // on its own would only delay the message.
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        // A view that asks again (new sort, next photo, another search) keeps showing the last
        // answer until the new one arrives, so it never flashes empty.
        placeholderData: keepPreviousData,
      },
    },
  });
}

/** The cache key of one call's answer; `[call]` alone matches every request of that call. */
export const callKey = <K extends CallName>(name: K, req: Req<K>): readonly [K, Req<K>] => [name, req];

export interface CallState<T> {
  data: T | undefined;
  error: ApiFailure | null;
  /** A request is in flight (the first one, or a reload). */
  loading: boolean;
  reload: () => void;
}

type CallOptions<K extends CallName> = Pick<UseQueryOptions<Res<K>, ApiFailure, Res<K>, readonly [K, Req<K>]>, 'enabled' | 'refetchInterval'>;

/** One contract call's answer, from the cache or the app; `reload()` asks the app again. */
export function useCall<K extends CallName>(name: K, req: Req<K>, options: CallOptions<K> = {}): CallState<Res<K>> {
  const client = useClient();
  const query = useQuery({
    ...options,
    queryKey: callKey(name, req),
    queryFn: () => (client.call as (name: K, req: Req<K>) => Promise<Res<K>>)(name, req).catch(asFailure),
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  return { data: query.data, error: query.error, loading: query.isFetching, reload };
}

function asFailure(error: unknown): never {
  throw error instanceof ApiFailure ? error : new ApiFailure('internal', error instanceof Error ? error.message : String(error));
}
