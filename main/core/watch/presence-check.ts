/**
 * Every `everyMs`, while watching: roots added or removed by another process are picked up,
 * offline roots that are back are marked online, re-watched and reconciled, and watched roots
 * that vanished go offline. (The decisions are reachability.ts's; this applies them.)
 */
import type { LibraryStore } from '../library/library-store.js';
import { reachabilityChanges, rosterChange } from './reachability.js';

export interface PresenceCheckParts {
  store: Pick<LibraryStore, 'rootRows' | 'setOnline'>;
  everyMs: number;
  /** Watch exactly the reachable roots (after the roster or their state changed). */
  syncWatches: () => Promise<void>;
  scan: (roots: string[]) => Promise<unknown>;
  added: (root: string) => void;
  online: (root: string) => void;
  wentOffline: (root: string, reason: string) => void;
  problem: (reason: string) => void;
  /** True once the watcher is closed or failed: checks stop. */
  over: () => boolean;
}

export class PresenceCheck {
  private timer: NodeJS.Timeout | null = null;
  private run: Promise<void> | null = null;
  /** The roots as last seen (a root the watcher adds or removes itself is told here). */
  private readonly known: Set<string>;

  constructor(private readonly parts: PresenceCheckParts) {
    this.known = new Set(parts.store.rootRows().map((r) => r.path));
  }

  start(): void {
    this.timer = setInterval(() => {
      this.run ??= this.check().finally(() => (this.run = null));
    }, this.parts.everyMs);
    this.timer.unref?.();
  }

  /** Stops checking; resolves once a check under way is over. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.run?.catch(() => undefined);
  }

  knows(root: string): void {
    this.known.add(root);
  }

  forget(root: string): void {
    this.known.delete(root);
  }

  private async check(): Promise<void> {
    const { store, ...on } = this.parts;
    if (on.over()) return;
    try {
      const rows = store.rootRows();
      const now = new Set(rows.map((r) => r.path));
      const roster = rosterChange(this.known, now);
      this.known.clear();
      for (const r of now) this.known.add(r);
      if (roster.changed) {
        await on.syncWatches();
        if (roster.added.length) {
          await on.scan(roster.added);
          for (const root of roster.added) on.added(root);
        }
      }
      const back: string[] = [];
      for (const change of await reachabilityChanges(rows)) {
        if (!change.back) {
          on.wentOffline(change.root, change.reason);
          continue;
        }
        store.setOnline(change.root, true, change.device);
        on.online(change.root);
        back.push(change.root);
      }
      if (back.length) {
        await on.syncWatches();
        await on.scan(back);
      }
    } catch (error) {
      on.problem(`checking the folders failed: ${(error as Error).message}`);
    }
  }
}
