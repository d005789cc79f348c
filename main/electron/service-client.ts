/**
 * The main process's handle on the library service (utilityProcess): forwards contract calls and
 * media lookups, relays pushed events, and restarts the service once if it crashes.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Envelope, LikenessEvent } from '../../preload/contract.js';
import type { MediaKind } from '../api/containment.js';
import type { MediaFile } from '../api/media.js';
import type { FromService, ToService } from './service-protocol.js';
// Type-only: pulls service-entry.cts into the compilation (the include globs match *.ts only).
import type {} from './service-entry.cjs';

type Pending = { resolve: (value: never) => void };

export interface ServiceOptions {
  dbPath?: string;
  engine?: string;
  onEvent: (event: LikenessEvent) => void;
  onFatal: (message: string) => void;
}

export class ServiceClient {
  private child: UtilityProcess | null = null;
  private seq = 1;
  private readonly pending = new Map<number, Pending & { kind: 'call' | 'media' }>();
  private restarts = 0;
  private stopping = false;
  ready: Promise<void> = Promise.resolve();

  constructor(private readonly options: ServiceOptions) {}

  start(): void {
    const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'service-entry.cjs');
    const args: string[] = [];
    if (this.options.dbPath) args.push('--db', this.options.dbPath);
    if (this.options.engine) args.push('--engine', this.options.engine);
    const child = utilityProcess.fork(entry, args, { serviceName: 'Likeness library', stdio: 'inherit' });
    this.child = child;
    this.ready = new Promise<void>((resolve) => {
      const onReady = (message: FromService) => {
        if (message.type === 'ready' || message.type === 'fatal') {
          child.off('message', onReady);
          resolve();
        }
      };
      child.on('message', onReady);
    });
    child.on('message', (message: FromService) => this.onMessage(message));
    child.on('exit', (code) => {
      this.child = null;
      this.failPending(`the library service stopped (exit code ${code})`);
      if (this.stopping) return;
      if (this.restarts++ < 2) this.start();
      else this.options.onFatal('The library service keeps stopping; see the log for details.');
    });
  }

  async call(call: string, req: unknown): Promise<Envelope<unknown>> {
    await this.ready;
    return this.request<Envelope<unknown>>('call', (seq) => ({ type: 'call', seq, call, req }));
  }

  async media(kind: MediaKind, id: number): Promise<MediaFile | null> {
    await this.ready;
    return this.request<MediaFile | null>('media', (seq) => ({ type: 'media', seq, kind, id }));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve();
      }, 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.postMessage({ type: 'shutdown' } satisfies ToService);
    });
  }

  private request<T>(kind: 'call' | 'media', build: (seq: number) => ToService): Promise<T> {
    const child = this.child;
    if (!child) {
      return Promise.resolve(
        (kind === 'call' ? { ok: false, error: { code: 'internal', message: 'the library service is not running' } } : null) as T,
      );
    }
    const seq = this.seq++;
    return new Promise<T>((resolve) => {
      this.pending.set(seq, { resolve: resolve as (value: never) => void, kind });
      child.postMessage(build(seq));
    });
  }

  private onMessage(message: FromService): void {
    switch (message.type) {
      case 'result':
        this.settle(message.seq, message.envelope);
        break;
      case 'media':
        this.settle(message.seq, message.file);
        break;
      case 'event':
        this.options.onEvent(message.event);
        break;
      case 'fatal':
        this.options.onFatal(message.message);
        break;
      case 'ready':
        break;
    }
  }

  private settle(seq: number, value: unknown): void {
    const entry = this.pending.get(seq);
    if (!entry) return;
    this.pending.delete(seq);
    entry.resolve(value as never);
  }

  private failPending(message: string): void {
    for (const [seq, entry] of this.pending) {
      entry.resolve((entry.kind === 'call' ? { ok: false, error: { code: 'internal', message } } : null) as never);
      this.pending.delete(seq);
    }
  }
}
