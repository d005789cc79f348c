/**
 * Turns the answers of the core's duplicates / clusters / search / tags / trash features into the
 * contract's shapes. The core owns its own types; keeping the mapping here means a change there
 * touches one file of the API, and the renderer never sees core internals.
 */
import { nameClusters } from './cluster-names.js';
import type {
  CallName,
  Cluster,
  DupeEvidence,
  DupeGroup,
  DupeMember,
  DupeTier,
  PhotoSummary,
  ResolveDecision,
  ResolveResult,
  SearchAnswer,
  TagCount,
  UndoResult,
} from '../../preload/contract.js';
import type { PhotoDetail } from '../core/types.js';
import type { CoreLibrary } from './library-port.js';

type PhotoOf = (id: number) => PhotoDetail | null;

/** Which core methods a call needs (any one of them); calls absent here need nothing optional. */
export const FEATURE_METHODS: Partial<Record<CallName, (keyof CoreLibrary)[]>> = {
  dupes: ['dupes'],
  resolveDupes: ['resolveDupes'],
  undoResolve: ['undoLastResolve'],
  notDuplicates: ['notDuplicates'],
  clusters: ['clusters'],
  search: ['search'],
  tag: ['tag'],
  untag: ['untag'],
  caption: ['caption'],
  removeRoot: ['removeRoot'],
  people: ['people'],
  person: ['people'],
  namePerson: ['people'],
  mergePeople: ['people'],
  removeFace: ['people'],
  photoFaces: ['people'],
  setFaceRecognition: ['setFaceRecognition'],
  suggestTags: ['suggestTags'],
  things: ['things'],
};

type Loose = Record<string, unknown>;
const isObj = (v: unknown): v is Loose => typeof v === 'object' && v !== null;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function listOf(raw: unknown, ...keys: string[]): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (isObj(raw)) for (const k of keys) if (Array.isArray(raw[k])) return raw[k] as unknown[];
  return [];
}

function idOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (isObj(v)) return num(v.id) ?? num(v.fileId);
  return undefined;
}

function member(photo: PhotoDetail): DupeMember {
  return { ...summaryOf(photo), format: photo.format };
}

export function summaryOf(p: PhotoDetail): PhotoSummary {
  return {
    id: p.id,
    path: p.path,
    name: p.name,
    folder: p.folder,
    size: p.size,
    mtimeMs: p.mtimeMs,
    width: p.width,
    height: p.height,
    takenAt: p.takenAt,
    thumbnail: p.thumbnail,
  };
}

const TIERS: Record<string, DupeTier> = { exact: 'exact', near: 'near', similar: 'similar' };

export function toDupeGroups(raw: unknown, photoOf: PhotoOf): DupeGroup[] {
  const groups: DupeGroup[] = [];
  listOf(raw, 'groups').forEach((g, index) => {
    if (!isObj(g)) return;
    const members = listOf(g.members)
      .map(idOf)
      .map((id) => (id === undefined ? null : photoOf(id)))
      .filter((p): p is PhotoDetail => p !== null)
      .map(member);
    if (members.length < 2) return;
    const keeperRaw = g.keeperId ?? g.keeper ?? g.suggestedKeeper;
    const keeperId = idOf(keeperRaw) ?? members[0].id;
    const evidence: DupeEvidence[] = listOf(g.evidence ?? g.reasons).flatMap((e): DupeEvidence[] => {
      if (typeof e === 'string') return [{ label: e, details: [e], kind: 'note' }];
      if (!isObj(e)) return [];
      const a = num(e.a);
      const b = num(e.b);
      const label = str(e.label) ?? str(e.reason) ?? str(e.detail) ?? String(e.kind ?? 'match');
      const details = evidenceDetails(e);
      return [
        {
          label,
          details: details.length ? details : [label],
          kind: str(e.kind) ?? 'match',
          ids: a !== undefined && b !== undefined ? [a, b] : undefined,
          value: num(e.value),
        },
      ];
    });
    groups.push({
      key: str(g.key) ?? String(num(g.id) ?? index),
      tier: TIERS[String(g.tier ?? 'similar').toLowerCase()] ?? 'similar',
      keeperId: members.some((m) => m.id === keeperId) ? keeperId : members[0].id,
      keeperReason: str(g.keeperReason) ?? null,
      members,
      evidence,
    });
  });
  return groups;
}

function failuresOf(raw: unknown): { path: string; reason: string }[] {
  return listOf(raw).flatMap((f) => (isObj(f) && typeof f.path === 'string' ? [{ path: f.path, reason: str(f.reason) ?? 'unknown error' }] : []));
}

/** Short facts from a pair's signals, strongest first. */
function evidenceDetails(e: Loose): string[] {
  const out: string[] = [];
  if (e.kind === 'exact') out.push('Identical files');
  const cosine = num(e.cosine);
  if (cosine !== undefined) out.push(`Similarity ${Math.round(Math.min(1, cosine) * 100)}%`);
  const alignment = num(e.alignment);
  if (alignment !== undefined) out.push(`Pixels match ${Math.round(Math.min(1, alignment) * 100)}%`);
  const dhash = num(e.dhash);
  if (dhash !== undefined) out.push(`dHash ${dhash}/64`);
  const phash = num(e.phash);
  if (phash !== undefined) out.push(`pHash ${phash}/64`);
  const seconds = num(e.secondsApart);
  if (seconds !== undefined) out.push(`${seconds < 120 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`} apart`);
  return out;
}

export function toResolveResult(raw: unknown, decisions: ResolveDecision[]): ResolveResult {
  const requested = decisions.reduce((n, d) => n + d.trash.length, 0);
  if (!isObj(raw)) return { trashed: requested, destination: 'the trash', canUndo: true, failed: [] };
  const trashed = num(raw.trashed) ?? (Array.isArray(raw.trashed) ? raw.trashed.length : undefined) ?? requested;
  const canUndo = typeof raw.canUndo === 'boolean' ? raw.canUndo : 'batchId' in raw ? raw.batchId !== null && trashed > 0 : trashed > 0;
  return { trashed, destination: str(raw.destination) ?? 'the trash', canUndo, failed: failuresOf(raw.failed) };
}

export function toUndoResult(raw: unknown): UndoResult {
  if (Array.isArray(raw)) return { restored: raw.length, paths: raw.filter((p): p is string => typeof p === 'string'), failed: [] };
  if (!isObj(raw)) return { restored: 0, paths: [], failed: [] };
  const paths = listOf(raw.paths ?? raw.restored).filter((p): p is string => typeof p === 'string');
  return { restored: num(raw.restored) ?? paths.length, paths, failed: failuresOf(raw.failed) };
}

export function toClusters(raw: unknown, photoOf: PhotoOf): Cluster[] {
  const clusters: Cluster[] = [];
  listOf(raw, 'clusters').forEach((c, index) => {
    if (!isObj(c)) return;
    const memberIds = listOf(c.memberIds)
      .map(idOf)
      .filter((id): id is number => id !== undefined);
    const repId = idOf(c.representativeId) ?? memberIds[0];
    const rep = repId === undefined ? null : photoOf(repId);
    if (!rep) return;
    const ordered = [rep.id, ...memberIds.filter((id) => id !== rep.id)];
    clusters.push({
      id: num(c.id) ?? index,
      label: str(c.label) ?? null,
      size: num(c.size) ?? ordered.length,
      representative: summaryOf(rep),
      memberIds: ordered,
    });
  });
  // Clusters the core did not name get names that say what they hold (and tell them apart).
  const names = nameClusters(clusters, photoOf);
  clusters.forEach((c, i) => (c.label ??= names[i]));
  return clusters;
}

export function toSearchAnswer(
  raw: unknown,
  photoOf: PhotoOf,
  summary: (p: PhotoDetail | null) => PhotoSummary | null,
): SearchAnswer {
  const items = listOf(raw, 'hits', 'results', 'photos');
  const hits = items.flatMap((h) => {
    const id = idOf(h);
    const photo = id === undefined ? null : summary(photoOf(id));
    if (!photo) return [];
    const o = isObj(h) ? h : {};
    const matched = listOf(o.matched ?? o.reasons).filter((m): m is string => typeof m === 'string');
    return [{ photo, score: num(o.score) ?? null, matched }];
  });
  const total = isObj(raw) ? (num(raw.total) ?? hits.length) : hits.length;
  return { total, hits };
}

export function toTagCounts(raw: unknown): TagCount[] {
  return listOf(raw, 'tags').flatMap((t): TagCount[] => {
    if (typeof t === 'string') return [{ tag: t, count: 0 }];
    if (!isObj(t)) return [];
    const tag = str(t.tag) ?? str(t.name);
    return tag ? [{ tag, count: num(t.count) ?? 0 }] : [];
  });
}
