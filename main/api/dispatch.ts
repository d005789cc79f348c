/**
 * The transport-agnostic entry point of the contract: `dispatch(name, rawRequest)` checks the call
 * name, validates the request with its zod schema, runs the handler and always answers an
 * envelope (`{ ok, value }` or `{ ok: false, error }`) — never a thrown error. Electron IPC and the
 * HTTP server are thin bindings over this.
 */
import { isCallName, type CallName, type Envelope, type Req, type Res } from '../../preload/contract.js';
import { ReadOnlyLibraryError } from '../core/store/read-only.js';
import { ApiError } from './errors.js';
import { describeIssues, requestSchemas } from './schemas.js';

export type Handlers = { [K in CallName]: (req: Req<K>) => Promise<Res<K>> | Res<K> };
export type Dispatch = (name: string, raw: unknown) => Promise<Envelope<unknown>>;

export interface DispatchOptions {
  /** Called with unexpected (non-ApiError) failures, for logging. */
  onInternalError?: (call: string, error: unknown) => void;
  /**
   * Calls that compute for long on this thread (a search over the whole library). They take
   * turns in one lane and let the event loop run before each turn, so cheap calls (status, a
   * photo, thumbnails) are answered between them instead of waiting behind all of them — 50
   * `similar` calls at once kept a `status` waiting 14.5 s.
   */
  heavy?: ReadonlySet<CallName>;
}

/** One heavy call at a time, each after a turn of the event loop (I/O and cheap calls first). */
function heavyLane(): <T>(job: () => T | Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (job) => {
    const turn = tail.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(job);
    tail = turn.catch(() => undefined);
    return turn;
  };
}

/** Validates a request without running anything (Electron's main process uses it before forwarding). */
export function validateRequest(
  name: string,
  raw: unknown,
): { ok: true; call: CallName; req: unknown } | { ok: false; error: ApiError } {
  if (!isCallName(name)) return { ok: false, error: new ApiError('unknown-call', `unknown call: ${String(name).slice(0, 64)}`) };
  const parsed = requestSchemas[name].safeParse(raw ?? {});
  if (!parsed.success) {
    return { ok: false, error: new ApiError('invalid-request', `${name}: ${describeIssues(parsed.error)}`) };
  }
  return { ok: true, call: name, req: parsed.data };
}

export function createDispatch(handlers: Partial<Handlers>, options: DispatchOptions = {}): Dispatch {
  const lane = heavyLane();
  return async (name, raw) => {
    const checked = validateRequest(name, raw);
    if (!checked.ok) return { ok: false, error: checked.error.toBody() };
    const handler = handlers[checked.call] as ((req: unknown) => unknown) | undefined;
    if (!handler) return { ok: false, error: { code: 'unsupported', message: `${name} is not handled here` } };
    try {
      const value = options.heavy?.has(checked.call) ? await lane(() => handler(checked.req)) : await handler(checked.req);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: error.toBody() };
      if (error instanceof ReadOnlyLibraryError) return { ok: false, error: { code: 'read-only', message: error.message } };
      options.onInternalError?.(name, error);
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: { code: 'internal', message } };
    }
  };
}
