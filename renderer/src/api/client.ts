/**
 * The renderer's one door to the app. Two implementations share this interface: the Electron
 * preload (`window.likeness`, IPC) and HTTP (`/api/<call>`, web mode). Nothing else in the
 * renderer knows which one it talks to.
 */
import type { ApiErrorCode, AppMode, CallName, LikenessEvent, Req, Res } from '../../../preload/contract';

export type ArgsOf<K extends CallName> = Record<string, never> extends Req<K> ? [req?: Req<K>] : [req: Req<K>];

export interface LikenessClient {
  readonly mode: AppMode;
  call<K extends CallName>(name: K, ...args: ArgsOf<K>): Promise<Res<K>>;
  /** Pushed events (indexing progress, library changes, native menu commands). */
  subscribe(listener: (event: LikenessEvent) => void): () => void;
  /** Whether the app behind the page still answers; called on every change (lost, back). */
  onConnection(listener: (connected: boolean) => void): () => void;
}

/** The connection state both clients keep: set on each answer or failure, listeners told of changes. */
export function connectionTracker() {
  const listeners = new Set<(connected: boolean) => void>();
  let connected = true;
  return {
    set(now: boolean): void {
      if (now === connected) return;
      connected = now;
      for (const listener of listeners) listener(now);
    },
    listen(listener: (connected: boolean) => void): () => void {
      listeners.add(listener);
      if (!connected) listener(false);
      return () => listeners.delete(listener);
    },
  };
}

/** A call that answered with an error envelope (or could not reach the app). */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode | 'unreachable' | 'unauthorised',
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** Both fronts serve media at the root of the app's origin. */
export const thumbUrl = (id: number): string => `/media/thumb/${id}`;
/** A 512 px thumbnail (made on first request): for tiles whose device pixels exceed ~190. */
export const largeThumbUrl = (id: number): string => `/media/large/${id}`;
/** The thumbnail that stays sharp in a square tile of `cssPx` at this screen's pixel ratio. */
export const tileThumbUrl = (id: number, cssPx: number): string => (cssPx * (window.devicePixelRatio || 1) > 200 ? largeThumbUrl(id) : thumbUrl(id));
export const originalUrl = (id: number): string => `/media/original/${id}`;
