/**
 * Duplicates over a library database: loads the indexed photos and their signals, runs the
 * finder, and turns its groups into the core's answer; resolves groups into the trash (one undoable
 * batch per resolution) and remembers "not duplicates".
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/database.js';
import { FilesRepository, type FileRow } from '../store/files-repository.js';
import type { VectorIndex } from '../search/vector-index.js';
import type { KnnGraph } from '../clusters/neighbours.js';
import type {
  DuplicateGroup,
  DuplicatesAnswer,
  DuplicatesQuery,
  DuplicateTier,
  Failure,
  ResolveAnswer,
  ResolveRequest,
} from '../types.js';
import { alignmentScore, loadGrey, posed, type Alignment, type GreyImage } from './alignment.js';
import { DecisionsRepository } from './decisions.js';
import { findDuplicates, type DupeFile, type FinderInput } from './find-duplicates.js';
import type { QuantisedVectors } from './signals.js';
import { loadThresholds } from './thresholds.js';
import { loadReferenceFolders, referenceFolderOf } from './reference-folders.js';
import { CarryOver } from './carry-over.js';
import { AnswerCache } from './answer-cache.js';
import { lookChanges, lookOf, sameFrame, type Look } from './looks.js';
import { shotQualityOf } from './shot-quality.js';
import { trashFiles, type FileRowLike } from '../trash/trash-service.js';
import { changedSinceIndexed, fileKey, inodeKey, isSymlink, mtimeMsOf, type RecordedVersion } from '../library/identity.js';
import { underFolder } from '../store/folder-range.js';

/** What duplicates are found from: the library's search state (search/search-state.ts) satisfies it. */
export interface DuplicatesContext {
  readonly db: Db;
  readonly modelId: string;
  /** The whitened unit vectors of the library, by file id. */
  searchIndex(): VectorIndex;
  /** The library's kept k-NN graph over these photos (rows in that order), or null to compute one. */
  graph?(fileIds: number[], k: number): KnnGraph | null;
  /** The search space the vectors are in (its id): kept answers were found in one. */
  spaceId?(): string | null;
}

type Row = Pick<
  FileRow,
  'id' | 'path' | 'size' | 'mtime_ms' | 'content_hash' | 'format' | 'width' | 'height' | 'taken_at' | 'camera' | 'lens' | 'gps_lat' | 'dhash' | 'phash' | 'view_hashes' | 'thumbnail'
>;

const LEVEL: Record<DuplicateTier, number> = { exact: 0, near: 1, similar: 2 };

/** Duplicate groups of the library; `keptAnswers` holds answers for an unchanged library (answer-cache.ts). */
export async function findLibraryDuplicates(
  ctx: DuplicatesContext,
  query: DuplicatesQuery = {},
  keptAnswers?: AnswerCache<DuplicatesAnswer>,
): Promise<DuplicatesAnswer> {
  const tiers = query.tiers?.length ? [...new Set(query.tiers)] : null;
  const maxTier: DuplicateTier = tiers ? tiers.reduce((a, b) => (LEVEL[b] > LEVEL[a] ? b : a)) : (query.tier ?? 'near');
  const started = performance.now();
  const files = loadFiles(ctx.db, query.folder);
  const notDuplicates = new DecisionsRepository(ctx.db).all();
  const thresholds = loadThresholds(ctx.db);
  const question = JSON.stringify({ tiers: tiers?.sort() ?? null, maxTier, folder: query.folder ? path.resolve(query.folder) : null });
  const fingerprint = keptAnswers
    ? AnswerCache.fingerprint([question, ctx.modelId, ctx.spaceId?.() ?? null, thresholds, [...notDuplicates].sort(), files])
    : '';
  const kept = keptAnswers?.get(question, fingerprint);
  if (kept) return { groups: kept.groups, stats: { ...kept.stats, seconds: (performance.now() - started) / 1000, kept: true } };
  const index = ctx.searchIndex();
  const vectors = new FilesRepository(ctx.db);
  const input: FinderInput = {
    files,
    // Read when asked (with a kept graph, never): a copy of every vector was 1 GB at 1M photos.
    searchVectors: { has: (i) => index.has(files[i].id), vector: (i) => index.vector(files[i].id) ?? null },
    loadRaw: (indices: number[], into: QuantisedVectors) => {
      const indexOf = new Map(indices.map((i) => [files[i].id, i]));
      const set = (id: number, vector: Float32Array) => into.setRaw(indexOf.get(id)!, vector);
      // For a quarter of the library or more (a whole-library run), one pass over all vectors in
      // the order they are stored: a lookup per photo took 65 µs (6.5 of 13.7 s at 100k photos).
      if (indices.length * 4 >= files.length && indices.length * 4 >= vectors.vectorCount(ctx.modelId)) {
        vectors.forEachVector(ctx.modelId, (id, vector) => {
          if (indexOf.has(id)) set(id, vector);
        });
      } else {
        vectors.vectorsOf([...indexOf.keys()], ctx.modelId, set);
      }
    },
    notDuplicates,
    thresholds,
    maxTier,
    align: cachedAligner(ctx.db, thumbnailAligner()),
    graph: ctx.graph ? (indices, k) => ctx.graph!(indices.map((i) => files[i].id), k) : undefined,
    shotQuality: cachedPerFile((f) => shotQualityOf(f.thumbnail ?? f.path)),
  };
  const { groups, stats } = await findDuplicates(input);
  const answer: DuplicateGroup[] = groups
    .filter((g) => !tiers?.length || tiers.includes(g.tier))
    .map((g) => {
      const keeper = files[g.keeper];
      const members = g.members.map((i) => files[i]);
      return {
        key: `${g.tier}-${keeper.id}`,
        tier: g.tier,
        keeperId: keeper.id,
        keeper: keeper.path,
        keeperReason: g.keeperReason,
        members: members.map((f) => ({
          id: f.id,
          path: f.path,
          width: f.width,
          height: f.height,
          format: f.format,
          size: f.size,
          takenAt: f.takenAt,
          thumbnail: f.thumbnailFile,
        })),
        paths: members.map((f) => f.path),
        evidence: g.evidence.map((e) => ({
          a: e.a,
          b: e.b,
          kind: e.relation,
          label: e.label,
          value: e.distance,
          cosine: e.cosine,
          dhash: e.dhash,
          phash: e.phash,
          alignment: e.alignment,
          secondsApart: e.secondsApart,
        })),
      };
    });
  await nameFilters(answer, files);
  const result: DuplicatesAnswer = {
    groups: answer,
    stats: { files: stats.files, candidatePairs: stats.candidatePairs, alignmentChecks: stats.alignmentChecks, seconds: (performance.now() - started) / 1000 },
  };
  keptAnswers?.put(question, fingerprint, result);
  return result;
}

/**
 * Names the filters each near copy went through ("same picture rotated 90°, greyscale"), from the
 * colours of the keeper's and the member's thumbnails (looks.ts; decoded only for group members).
 */
async function nameFilters(groups: DuplicateGroup[], files: LoadedFile[]): Promise<void> {
  const fileOf = new Map(files.map((f) => [f.id, f]));
  const looks = new Map<number, Promise<Look | null>>();
  const look = (id: number) => {
    let p = looks.get(id);
    if (!p) {
      const f = fileOf.get(id)!;
      p = lookOf(f.thumbnailFile ?? f.path);
      looks.set(id, p);
    }
    return p;
  };
  // All at once: sharp decodes on its own threads (a few ms per thumbnail).
  const near = groups.flatMap((g) => g.evidence.filter((e) => e.kind === 'near'));
  await Promise.all(
    near.map(async (e) => {
      const [keeper, member] = await Promise.all([look(e.a), look(e.b)]);
      const words = keeper && member ? lookChanges(keeper, member, sameFrame(fileOf.get(e.a)!, fileOf.get(e.b)!)) : [];
      if (words.length === 0) return;
      e.filters = words;
      e.label = withFilters(e.label, words);
    }),
  );
}

/** "same picture rotated 90°: …" → "same picture rotated 90°, greyscale: …". */
function withFilters(label: string, words: string[]): string {
  const head = label.replace(/^same picture re-encoded or edited:/, 'same picture:');
  const colon = head.indexOf(':');
  return colon < 0 ? `${head}, ${words.join(', ')}` : `${head.slice(0, colon)}, ${words.join(', ')}${head.slice(colon)}`;
}

/** `compute` once per file of a run. */
function cachedPerFile<T>(compute: (f: DupeFile) => Promise<T>): (f: DupeFile) => Promise<T> {
  const known = new Map<number, Promise<T>>();
  return (f) => {
    let p = known.get(f.id);
    if (!p) {
      p = compute(f);
      known.set(f.id, p);
    }
    return p;
  };
}

/** Remembers that these photos (file ids) are not duplicates of one another. */
export function markNotDuplicates(db: Db, ids: number[]): number {
  const select = db.prepare('SELECT content_hash FROM files WHERE id = ?').pluck();
  const hashes = ids.map((id) => {
    const hash = select.get(id) as string | null | undefined;
    if (!hash) throw new Error(`not an indexed photo of this library: photo ${id}`);
    return hash;
  });
  if (hashes.length < 2) throw new Error('"not duplicates" needs at least two photos');
  return new DecisionsRepository(db).markNotDuplicates(hashes);
}

/**
 * Sends the `trash` files of each request to the trash, as one batch that `undo` reverts.
 *
 * Never on a stale index: the keepers are checked against the index (size, modification time,
 * content hash) before anything moves, and each file to trash just before it moves. A group is
 * refused as a whole when no kept file is still what the index says, or a file is both kept and
 * trashed. A file is refused when it changed, vanished, is a symlink (trashing it would not free
 * the photo it shows), or is the kept file itself reached by another path (symlinked folder, hard
 * link): one file is one photo, whatever the number of paths to it. A file inside a reference
 * folder is never trashed, whatever the request says. The trashed files' tags, caption and "not
 * duplicates" decisions go to their group's keeper (carry-over.ts).
 */
export async function resolveDuplicates(db: Db, requests: ResolveRequest[]): Promise<ResolveAnswer & { removedIds: number[] }> {
  const failed: Failure[] = [];
  const toTrash: string[] = [];
  const rowAt = db.prepare('SELECT size, mtime_ms, content_hash FROM files WHERE path = ?');
  const allTrash = new Set(requests.flatMap((r) => r.trash.map((p) => path.resolve(p))));
  const references = loadReferenceFolders(db);
  const carry = new CarryOver(db);
  /** For each file to trash: its group's keepers, with the identity and version they had when checked. */
  const keepersOf = new Map<string, { path: string; key: string; size: number; mtimeMs: number }[]>();
  for (const request of requests) {
    const keep = request.keep.map((p) => path.resolve(p));
    const trash = request.trash.map((p) => path.resolve(p));
    const clash = trash.find((p) => keep.includes(p));
    if (clash) {
      trash.forEach((p) => failed.push({ path: p, reason: `${clash} is both kept and trashed` }));
      continue;
    }
    const keepers: { path: string; key: string; size: number; mtimeMs: number }[] = [];
    const problems: string[] = [];
    for (const k of keep) {
      if (allTrash.has(k)) continue;
      const row = rowAt.get(k) as RecordedVersion | undefined;
      const problem = row ? await changedSinceIndexed(k, row) : 'not a photo of this library';
      const key = problem ? null : await fileKey(k);
      if (problem || !key) problems.push(`${k}: ${problem ?? 'cannot be read'}`);
      else keepers.push({ path: k, key, size: row!.size, mtimeMs: row!.mtime_ms });
    }
    if (keepers.length === 0) {
      const why = problems.length
        ? `the kept copy is not what the index says (${problems.join('; ')}): nothing of this group is trashed — index again, then resolve`
        : 'no kept copy of this group exists: nothing is trashed';
      trash.forEach((p) => failed.push({ path: p, reason: why }));
      continue;
    }
    for (const p of trash) {
      const reference = referenceFolderOf(p, references);
      if (reference) failed.push({ path: p, reason: `in a reference folder (${reference}): its photos are always kept, never trashed` });
      else if (!rowAt.get(p)) failed.push({ path: p, reason: 'not a photo of this library' });
      else {
        carry.remember(p, keepers[0].path);
        toTrash.push(p);
        keepersOf.set(p, keepers);
      }
    }
  }

  const trashedKeys = new Map<string, string>();
  const check = async (file: string, row: FileRowLike | undefined): Promise<string | null> => {
    if (!row) return 'not a photo of this library';
    if (await isSymlink(file)) return 'is a symbolic link: only the file itself is ever trashed, never a link in place of it';
    const key = await fileKey(file);
    if (!key) return 'file not found';
    const keepers = keepersOf.get(file) ?? [];
    const same = keepers.find((k) => k.key === key);
    if (same) return `is the kept file ${same.path} itself, reached by another path: trashing it would trash the keeper`;
    const twin = trashedKeys.get(key);
    if (twin) return `is the same file as ${twin} (another path to it), already trashed`;
    const changed = await changedSinceIndexed(file, row);
    if (changed) return `${changed}: not trashed — index again, then resolve`;
    // The keeper is still there and untouched (a stat: it was hashed before the batch began).
    let keeperHere = false;
    for (const k of keepers) {
      const now = await fs.promises.stat(k.path, { bigint: true }).catch(() => null);
      if (now && inodeKey(now) === k.key && Number(now.size) === k.size && mtimeMsOf(now) === k.mtimeMs) keeperHere = true;
    }
    if (!keeperHere) return 'the kept copy changed or vanished during the resolution: not trashed';
    trashedKeys.set(key, file);
    return null;
  };
  const outcome = await trashFiles(db, toTrash, 'resolve duplicates', check);
  carry.apply(outcome.trashed);
  return {
    trashed: outcome.trashed.length,
    paths: outcome.trashed,
    failed: [...failed, ...outcome.failed],
    destination: outcome.destination,
    canUndo: outcome.batchId !== null,
    ...(outcome.stopped ? { stopped: outcome.stopped } : {}),
    removedIds: outcome.removedIds,
  };
}

type LoadedFile = DupeFile & { thumbnailFile: string | null };

function loadFiles(db: Db, folder: string | undefined): LoadedFile[] {
  const references = loadReferenceFolders(db);
  let sql = "SELECT id, path, size, mtime_ms, content_hash, format, width, height, taken_at, camera, lens, gps_lat, dhash, phash, view_hashes, thumbnail FROM files WHERE status = 'indexed'";
  const args: unknown[] = [];
  if (folder) {
    const root = path.resolve(folder);
    const under = underFolder(root);
    sql += ` AND ${under.sql}`;
    args.push(...under.args);
  }
  // Row by row (not .all()): at a million photos the rows and the files at once did not fit.
  const files: LoadedFile[] = [];
  for (const r of db.prepare(sql + ' ORDER BY path').iterate(...args) as Iterable<Row>) files.push(toLoadedFile(r, references));
  return files;
}

function toLoadedFile(r: Row, references: ReturnType<typeof loadReferenceFolders>): LoadedFile {
  return {
    id: r.id,
    path: r.path,
    size: r.size,
    mtimeMs: r.mtime_ms,
    contentHash: r.content_hash,
    format: r.format,
    width: r.width,
    height: r.height,
    takenAt: r.taken_at,
    camera: r.camera,
    lens: r.lens,
    gpsLat: r.gps_lat,
    dhash: r.dhash,
    phash: r.phash,
    viewHashes: r.view_hashes,
    thumbnail: r.thumbnail,
    thumbnailFile: r.thumbnail,
    referenceFolder: referenceFolderOf(r.path, references),
  };
}

/** Bumped whenever the alignment check changes (v2: far-edge placements, mirrored pictures; v3: coarse give-up). */
const ALIGNMENT_VERSION = 'v3';

/** Remembers alignment results per pair of contents, so that only new pairs cost a check. */
type Aligner = (a: DupeFile, b: DupeFile, hints: { mirror: boolean; pose?: number; inset?: boolean }) => Promise<Alignment | null>;

function cachedAligner(db: Db, align: Aligner): Aligner {
  const get = db.prepare('SELECT intensity, detail FROM alignment_checks WHERE hash_a = ? AND hash_b = ?');
  const put = db.prepare('INSERT OR REPLACE INTO alignment_checks (hash_a, hash_b, intensity, detail, checked_at) VALUES (?, ?, ?, ?, ?)');
  return async (a, b, hints) => {
    if (!a.contentHash || !b.contentHash) return align(a, b, hints);
    const [first, second] = a.contentHash <= b.contentHash ? [a.contentHash, b.contentHash] : [b.contentHash, a.contentHash];
    // Keys carry the check's version: results of an older check are not reused. A check in a
    // turned pose is directed (b is turned onto a), so its key keeps the pair's order and names the pose.
    const x = `${ALIGNMENT_VERSION}${hints.pose ? `:pose${hints.pose}` : ''}${hints.inset ? ':inset' : ''}:${hints.pose ? a.contentHash : first}`;
    const y = hints.pose ? b.contentHash : second;
    const known = get.get(x, y) as Alignment | undefined;
    if (known) return known;
    const result = await align(a, b, hints);
    // (Whether the mirrored try is made depends on the pair's CNN cosine: fixed for a pair of contents.)
    if (result) put.run(x, y, result.intensity, result.detail, Date.now());
    return result;
  };
}

/** Alignment on thumbnails, each decoded once per run. */
function thumbnailAligner(): Aligner {
  const greys = new Map<string, Promise<GreyImage | null>>();
  const grey = (file: string) => {
    let p = greys.get(file);
    if (!p) {
      p = loadGrey(file);
      greys.set(file, p);
    }
    return p;
  };
  // The thumbnail when there is one (256 px, quick to decode), else the photo itself.
  const image = async (f: DupeFile) => (f.thumbnail ? await grey(f.thumbnail) : null) ?? (await grey(f.path));
  return async (a, b, hints) => {
    const [ga, gb] = await Promise.all([image(a), image(b)]);
    return ga && gb ? alignmentScore(ga, hints.pose ? posed(gb, hints.pose) : gb, { mirror: hints.mirror, inset: hints.inset }) : null;
  };
}

