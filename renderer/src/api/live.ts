/**
 * Keeps the cached answers (queries.ts) in step with the app, from what it pushes:
 *  - `library-changed`: the answers that change names (by the change's reason) become stale, and
 *    those on screen are asked for again;
 *  - `indexing`: the status takes the pushed state at once; while a pass runs the status (cheap)
 *    is asked for every few seconds, and the photo lists only when its count of indexed photos
 *    moved — an idle or stuck pass fetches no timeline.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { CallName, LibraryStatus } from '../../../preload/contract';
import { useEvents } from './hooks';
import { callKey, useCall } from './queries';

const always = () => true;

/** Which answers a library change makes stale, by the change's reason (emitted in main/api). */
export const STALE_ON_CHANGE: Partial<Record<CallName, (reason: string) => boolean>> = {
  status: always,
  folders: always,
  timeline: always,
  clusters: always,
  things: always,
  people: always,
  person: always,
  // The review keeps its own place (hidden groups, chosen keepers) and asks again after its own
  // resolves and undos; only newly indexed photos bring new groups.
  dupes: (reason) => reason === 'indexed',
};

/** The answers that grow while indexing adds photos. */
const GROW_WHILE_INDEXING: CallName[] = ['folders', 'timeline'];

const STATUS_POLL_MS = 4_000;
/** A big library's timeline is a large answer: ask for it less often while indexing. */
const BIG_LIBRARY = 20_000;
const BIG_STATUS_POLL_MS = 15_000;

export function invalidateOnChange(queries: QueryClient, reason: string): void {
  void queries.invalidateQueries({
    predicate: (query) => STALE_ON_CHANGE[query.queryKey[0] as CallName]?.(reason) ?? false,
  });
}

const invalidateCalls = (queries: QueryClient, calls: CallName[]) =>
  Promise.all(calls.map((call) => queries.invalidateQueries({ queryKey: [call] })));

/** Mounted once, at the shell: subscribes to the app's events for the whole renderer. */
export function useLiveQueries(): void {
  const queries = useQueryClient();
  const status = useCall('status', {}, {
    refetchInterval: (query) => {
      const s = query.state.data;
      if (!s?.indexing.running) return false;
      return s.indexed > BIG_LIBRARY ? BIG_STATUS_POLL_MS : STATUS_POLL_MS;
    },
  });

  useEvents((event) => {
    if (event.type === 'library-changed') invalidateOnChange(queries, event.reason);
    if (event.type === 'indexing') {
      queries.setQueryData<LibraryStatus>(callKey('status', {}), (s) => (s ? { ...s, indexing: event.state } : s));
      // A pass ended: the counts and the folder list are final now.
      if (!event.state.running) void invalidateCalls(queries, ['status', 'folders']);
    }
  });

  // While indexing, newly indexed photos join the grid (at most once per status poll).
  const indexed = status.data?.indexed;
  const running = !!status.data?.indexing.running;
  const seen = useRef(indexed);
  useEffect(() => {
    if (indexed === undefined || indexed === seen.current) return;
    const first = seen.current === undefined;
    seen.current = indexed;
    if (running && !first) void invalidateCalls(queries, GROW_WHILE_INDEXING);
  }, [indexed, running, queries]);
}
