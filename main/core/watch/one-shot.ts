/**
 * A one-shot pass run through a live watcher (so only one writer runs): its scan queued some rows;
 * each is waited for until it is embedded or failed — or no longer pending (moved, deleted or
 * changed again: the watcher follows it from there) — or until nothing more can happen.
 */
import type { WatchEvent } from './events.js';

export interface LiveWatch {
  /** Calls `listener` with every event until the returned function is called. */
  listen: (listener: (event: WatchEvent) => void) => () => void;
  idle: () => Promise<void>;
  busy: () => boolean;
  /** Why the watcher stopped for good, if it did (thrown). */
  failure: () => Error | null;
  stopped: () => boolean;
  /** Which of `ids` are still pending in the store. */
  stillPending: (ids: number[]) => number[];
}

/** Waits for the rows `ids`; counts those embedded and those failed. */
export async function awaitEmbedded(ids: number[], watch: LiveWatch, signal?: AbortSignal, checkEveryMs = 250): Promise<{ indexed: number; failed: number }> {
  const wanted = new Set(ids);
  let indexed = 0;
  let failed = 0;
  const unlisten = watch.listen((event) => {
    if ((event.type === 'added' || event.type === 'updated') && wanted.delete(event.id)) indexed++;
    else if (event.type === 'failed' && wanted.delete(event.id)) failed++;
  });
  try {
    while (wanted.size > 0 && !signal?.aborted && !watch.stopped()) {
      await Promise.race([watch.idle(), new Promise((resolve) => setTimeout(resolve, checkEveryMs))]);
      const failure = watch.failure();
      if (failure) throw failure;
      const pending = new Set(watch.stillPending([...wanted]));
      for (const id of [...wanted]) if (!pending.has(id)) wanted.delete(id);
      if (!watch.busy() && wanted.size > 0) break;
    }
  } finally {
    unlisten();
  }
  return { indexed, failed };
}
