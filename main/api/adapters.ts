/**
 * Turns the core's answers (duplicates, resolutions, clusters, search) into the contract's shapes:
 * the core speaks in paths, the UI in ids and photo summaries. Keeping the mapping here means a
 * change in the core touches one file of the API, and the renderer never sees core internals.
 * Each answer's photos are looked up in one query (`PhotosOf`), not one per photo.
 */
import { nameClusters, namingSample } from './cluster-names.js';
import type { Cluster, DupeEvidence, DupeGroup, DupeMember, PhotoSummary, ResolveResult, SearchAnswer, UndoResult } from '../../preload/contract.js';
import type {
  DuplicateEvidence,
  DuplicatesAnswer,
  PhotoClustersAnswer,
  PhotoDetail,
  ResolveAnswer,
  TextSearchAnswer,
  UndoAnswer,
} from '../core/types.js';

/** Many photos by id, in one query (Library.photos); ids no longer in the library are left out. */
export type PhotosOf = (ids: number[]) => PhotoDetail[];

/** The photos of these ids, by id. */
function photoMap(photosOf: PhotosOf, ids: number[]): Map<number, PhotoDetail> {
  return new Map(photosOf([...new Set(ids)]).map((p) => [p.id, p]));
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

function member(photo: PhotoDetail): DupeMember {
  return { ...summaryOf(photo), format: photo.format };
}

/** The groups, each member as a summary; a group left with one member (the others gone since) is dropped. */
export function toDupeGroups(answer: DuplicatesAnswer, photosOf: PhotosOf): DupeGroup[] {
  const photos = photoMap(
    photosOf,
    answer.groups.flatMap((g) => g.members.map((m) => m.id)),
  );
  return answer.groups.flatMap((g): DupeGroup[] => {
    const members = g.members.flatMap((m) => {
      const photo = photos.get(m.id);
      return photo ? [member(photo)] : [];
    });
    if (members.length < 2) return [];
    return [
      {
        key: g.key,
        tier: g.tier,
        keeperId: members.some((m) => m.id === g.keeperId) ? g.keeperId : members[0].id,
        keeperReason: g.keeperReason,
        members,
        evidence: g.evidence.map(toEvidence),
      },
    ];
  });
}

function toEvidence(e: DuplicateEvidence): DupeEvidence {
  const details = evidenceDetails(e);
  return {
    label: e.label,
    details: details.length ? details : [e.label],
    kind: e.kind,
    ids: [e.a, e.b],
    value: e.value ?? undefined,
  };
}

/** Short facts from a pair's signals, strongest first. */
function evidenceDetails(e: DuplicateEvidence): string[] {
  const out: string[] = [];
  if (e.kind === 'exact') out.push('Identical files');
  if (e.cosine !== null) out.push(`Similarity ${Math.round(Math.min(1, e.cosine) * 100)}%`);
  if (e.alignment !== null) out.push(`Pixels match ${Math.round(Math.min(1, e.alignment) * 100)}%`);
  if (e.dhash !== null) out.push(`dHash ${e.dhash}/64`);
  if (e.phash !== null) out.push(`pHash ${e.phash}/64`);
  const seconds = e.secondsApart;
  if (seconds !== null) out.push(`${seconds < 120 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`} apart`);
  return out;
}

export function toResolveResult(answer: ResolveAnswer): ResolveResult {
  return { trashed: answer.trashed, destination: answer.destination, canUndo: answer.canUndo, failed: answer.failed };
}

export function toUndoResult(answer: UndoAnswer): UndoResult {
  return { restored: answer.restored, paths: answer.paths, failed: answer.failed };
}

/** Clusters with their representative's summary and a name that says what they hold. */
export function toClusters(answer: PhotoClustersAnswer, photosOf: PhotosOf): Cluster[] {
  // One lookup for every representative and every photo the names are made from.
  const photos = photoMap(
    photosOf,
    answer.clusters.flatMap((c) => [c.representativeId, ...namingSample(c.memberIds)]),
  );
  const clusters = answer.clusters.flatMap((c): Cluster[] => {
    const rep = photos.get(c.representativeId);
    return rep ? [{ id: c.id, label: null, size: c.size, representative: summaryOf(rep), memberIds: c.memberIds }] : [];
  });
  const names = nameClusters(clusters, (id) => photos.get(id) ?? null);
  return clusters.map((c, i) => ({ ...c, label: names[i] }));
}

export function toSearchAnswer(answer: TextSearchAnswer, photosOf: PhotosOf): SearchAnswer {
  const photos = photoMap(
    photosOf,
    answer.hits.map((h) => h.id),
  );
  const hits = answer.hits.flatMap((h) => {
    const photo = photos.get(h.id);
    return photo ? [{ photo: summaryOf(photo), score: h.score, matched: h.matched }] : [];
  });
  return { total: answer.total, hits };
}
