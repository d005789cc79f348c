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
export const originalUrl = (id: number): string => `/media/original/${id}`;
