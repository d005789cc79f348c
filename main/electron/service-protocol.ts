/**
 * Messages between the Electron main process and the library service (a utilityProcess that owns
 * the database, the indexing and the embedding workers, so none of that runs on the main thread).
 */
import type { Envelope, LikenessEvent } from '../../preload/contract.js';
import type { MediaKind } from '../api/containment.js';
import type { MediaFile } from '../api/media.js';

export type ToService =
  | { type: 'call'; seq: number; call: string; req: unknown }
  | { type: 'media'; seq: number; kind: MediaKind; id: number }
  | { type: 'shutdown' };

export type FromService =
  | { type: 'ready'; dbPath: string }
  | { type: 'result'; seq: number; envelope: Envelope<unknown> }
  | { type: 'media'; seq: number; file: MediaFile | null }
  | { type: 'event'; event: LikenessEvent }
  | { type: 'fatal'; message: string };
