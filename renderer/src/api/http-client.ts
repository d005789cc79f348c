/**
 * The contract over HTTP (web mode): POST /api/<call> with the request as JSON (an upload: the
 * file's bytes as the body, the other fields in the query string), server-sent events on
 * /api/events.
 */
import { isUploadCall, UPLOAD_FIELD, type CallName, type Envelope, type LikenessEvent, type Res } from '../../../preload/contract';
import { ApiFailure, connectionTracker, type ArgsOf, type LikenessClient } from './client';

export function createHttpClient(): LikenessClient {
  const listeners = new Set<(event: LikenessEvent) => void>();
  let source: EventSource | null = null;
  const connection = connectionTracker();

  // The event stream drops when the server goes away; EventSource then retries on its own, and
  // each failed retry fires `error`. One request tells a dead server from a passing blip.
  const probe = () => {
    fetch('/api/appInfo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', credentials: 'same-origin' }).then(
      (r) => connection.set(r.status !== 401 && r.status < 500),
      () => connection.set(false),
    );
  };

  const connect = () => {
    if (source) return;
    source = new EventSource('/api/events');
    source.onopen = () => connection.set(true);
    source.onerror = probe;
    source.onmessage = (message) => {
      let event: LikenessEvent;
      try {
        event = JSON.parse(message.data as string) as LikenessEvent;
      } catch {
        return;
      }
      for (const listener of listeners) listener(event);
    };
  };

  return {
    mode: 'web',
    async call<K extends CallName>(name: K, ...args: ArgsOf<K>): Promise<Res<K>> {
      let response: Response;
      try {
        response = await fetch(isUploadCall(name) ? uploadRequest(name, args[0] as Record<string, unknown>) : jsonRequest(name, args[0] ?? {}));
      } catch {
        connection.set(false);
        throw new ApiFailure('unreachable', 'Likeness is not reachable. Is `likeness serve` still running?');
      }
      connection.set(response.status !== 401);
      if (response.status === 401) {
        throw new ApiFailure('unauthorised', 'This page needs the access link printed by `likeness serve`.');
      }
      let envelope: Envelope<Res<K>>;
      try {
        envelope = (await response.json()) as Envelope<Res<K>>;
      } catch {
        throw new ApiFailure('internal', `Unexpected answer from the server (HTTP ${response.status})`);
      }
      if (!envelope.ok) throw new ApiFailure(envelope.error.code, envelope.error.message);
      return envelope.value;
    },
    onConnection: (listener) => connection.listen(listener),
    subscribe(listener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}

function jsonRequest(name: CallName, req: unknown): Request {
  return new Request(`/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(req),
    credentials: 'same-origin',
  });
}

/** The file's bytes as they are, not base64 inside JSON; the request's other fields in the query. */
function uploadRequest(name: keyof typeof UPLOAD_FIELD, req: Record<string, unknown>): Request {
  const { [UPLOAD_FIELD[name]]: bytes, ...rest } = req;
  const query = new URLSearchParams(Object.entries(rest).map(([key, value]) => [key, String(value)]));
  return new Request(`/api/${name}${query.size ? `?${query}` : ''}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: bytes as Uint8Array<ArrayBuffer>, // read from a File: never a shared buffer
    credentials: 'same-origin',
  });
}
