/**
 * Which roots came, went, or came back while watched. An unplugged drive or an unmounted share is
 * not a deletion: its root goes offline, keeping its entries, and is reconciled when it is back.
 * These functions only decide; the watcher applies (marks the store, emits, re-watches, scans).
 */
import { isInside } from '../store/files-repository.js';
import type { RootRow } from '../library/library-store.js';
import { rootPresence, type Presence } from '../library/presence.js';

/** Roots added or removed by another process (`likeness roots add` beside a running watch). */
export function rosterChange(before: ReadonlySet<string>, now: ReadonlySet<string>): { added: string[]; changed: boolean } {
  const added = [...now].filter((r) => !before.has(r));
  return { added, changed: added.length > 0 || [...before].some((r) => !now.has(r)) };
}

export type Reachability = { root: string; back: true; device: number } | { root: string; back: false; reason: string };

/** Offline roots that are reachable again, and online ones that no longer are, in `rows` order. */
export async function reachabilityChanges(
  rows: Pick<RootRow, 'path' | 'offline_since' | 'device'>[],
  presenceOf: (root: string, device: number | null) => Promise<Presence> = rootPresence,
): Promise<Reachability[]> {
  const changes: Reachability[] = [];
  for (const r of rows) {
    const presence = await presenceOf(r.path, r.device);
    if (r.offline_since !== null && presence.present) changes.push({ root: r.path, back: true, device: presence.device });
    else if (r.offline_since === null && !presence.present) changes.push({ root: r.path, back: false, reason: presence.reason });
  }
  return changes;
}

/**
 * Before files seen gone are deleted: the roots holding them (the outer one and any nested one,
 * such as a share mounted inside a folder) that cannot be reached. A root inside one found
 * unreachable is not asked again.
 */
export async function unreachableRoots(
  gonePaths: Iterable<string>,
  onlineRoots: string[],
  offlineRoots: string[],
  presenceOf: (root: string) => Promise<Presence>,
): Promise<{ root: string; reason: string }[]> {
  const holding = new Set<string>();
  for (const file of gonePaths) for (const root of onlineRoots) if (isInside(file, root)) holding.add(root);
  const offline = [...offlineRoots];
  const lost: { root: string; reason: string }[] = [];
  for (const root of [...holding].sort()) {
    if (offline.some((o) => root === o || isInside(root, o))) continue;
    const presence = await presenceOf(root);
    if (presence.present) continue;
    lost.push({ root, reason: presence.reason });
    offline.push(root);
  }
  return lost;
}
