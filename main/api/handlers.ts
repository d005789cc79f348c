/**
 * The handlers of every contract call, over the core `Library`. Transport-agnostic: they receive
 * validated requests (see dispatch.ts) and return plain data; the web server and the Electron
 * service process bind them to HTTP and IPC. Native UI calls (context menu, folder picker, reveal
 * in file manager) come from the host; the web mode has none and answers `unsupported`.
 */
import path from 'node:path';
import type {
  AppInfo,
  AppMode,
  CallName,
  LibraryStatus,
  LikenessEvent,
  PhotoInfo,
  PhotoMenuAction,
  RankedPhoto,
  SimilarResult,
} from '../../preload/contract.js';
import { CALL_NAMES, DESKTOP_ONLY_CALLS } from '../../preload/contract.js';
import type { PhotoDetail, SimilarHit } from '../core/types.js';
import { toClusters, toDupeGroups, toResolveResult, toSearchAnswer, toUndoResult, summaryOf } from './adapters.js';
import { createDispatch, type Dispatch, type Handlers } from './dispatch.js';
import { ApiError, notFound, unsupported } from './errors.js';
import { checkFolderToAdd } from './folders.js';
import { describeRanking } from './similarity-meaning.js';
import { IndexingManager } from './indexing.js';
import type { CoreLibrary } from './library-port.js';
import { resolveMedia, type MediaFile } from './media.js';
import type { MediaKind } from './containment.js';
import { SettingsStore, settingsPathFor } from './settings.js';
import { buildTimeline } from './timeline.js';
import { peopleHandlers } from './people.js';
import { suggestTags } from './suggestions.js';
import { things } from './things.js';
import { DatabaseChecker } from './database-check.js';

export interface ApiHost {
  mode: AppMode;
  photoMenu?(ids: number[]): Promise<PhotoMenuAction>;
  pickFolder?(): Promise<string | null>;
  reveal?(file: string): void;
}

export interface ApiOptions {
  library: CoreLibrary;
  dbPath: string;
  thumbnailDir: string;
  host: ApiHost;
  version?: string;
  /** The settings file of earlier versions, imported into the database once (settings.ts); the one beside the database by default, null for none. */
  legacySettingsFile?: string | null;
  emit?: (event: LikenessEvent) => void;
  onInternalError?: (call: string, error: unknown) => void;
}

export interface Api {
  dispatch: Dispatch;
  /** Starts watching the roots when the core can (the fronts call it once they are up). */
  watch(): Promise<void>;
  handlers: Handlers;
  indexing: IndexingManager;
  /** A failure outside any call (see process-guard.ts): shown as the indexing error state. */
  reportBackgroundError(error: unknown): void;
  media(kind: MediaKind, id: number): Promise<MediaFile | null>;
  close(): Promise<void>;
}

const SIMILAR_OVERFETCH = 3;

/** Calls that search or group the whole library on this thread: they take turns (see dispatch.ts). */
const HEAVY_CALLS: ReadonlySet<CallName> = new Set<CallName>(['similar', 'similarToImage', 'dupes', 'clusters', 'search']);

export function createApi(options: ApiOptions): Api {
  const { library, host } = options;
  const emit = options.emit ?? (() => {});
  const settings = new SettingsStore(options.legacySettingsFile === undefined ? settingsPathFor(options.dbPath) : options.legacySettingsFile, library);
  const changed = (reason: string) => emit({ type: 'library-changed', reason });
  const databaseChecker = new DatabaseChecker(options.dbPath);
  const indexing = new IndexingManager(
    library,
    (state) => emit({ type: 'indexing', state }),
    () => changed('indexed'),
    (notice) => emit(notice),
  );

  // A read-only library (see core/store/read-only.ts) is never watched or indexed; changes are refused.
  const writable = (action: string): void => {
    if (library.readOnly) throw new ApiError('read-only', `cannot ${action}: ${library.readOnly}`);
  };
  const photoOrThrow = (id: number): PhotoDetail => {
    const p = library.photo(id);
    if (!p) throw notFound(`photo ${id}`);
    return p;
  };
  /** The photos of these ids, in their order, looked up in one query; a missing one is not-found. */
  const photosOrThrow = (ids: number[]): PhotoDetail[] => {
    const byId = new Map(library.photos(ids).map((p) => [p.id, p]));
    return ids.map((id) => {
      const p = byId.get(id);
      if (!p) throw notFound(`photo ${id}`);
      return p;
    });
  };
  const pathsOrThrow = (ids: number[]): string[] => photosOrThrow(ids).map((p) => p.path);
  const photosOf = (ids: number[]) => library.photos(ids);
  const rank = (hits: SimilarHit[]): RankedPhoto[] => {
    const byId = new Map(photosOf(hits.map((h) => h.id)).map((p) => [p.id, p]));
    return hits.flatMap((h) => {
      const p = byId.get(h.id);
      return p ? [{ photo: summaryOf(p), score: h.score }] : [];
    });
  };

  // Every call of the contract is answered but the native ones this host lacks.
  const available = (): CallName[] =>
    CALL_NAMES.filter((call) => !DESKTOP_ONLY_CALLS.includes(call) || typeof host[call as 'photoMenu'] === 'function');

  const handlers: Handlers = {
    appInfo: (): AppInfo => ({
      name: 'Likeness',
      version: options.version ?? '0.0.0',
      mode: host.mode,
      dbPath: options.dbPath,
      available: available(),
      platform: process.platform,
    }),

    status: (): LibraryStatus => ({
      ...library.status(),
      roots: library.roots(),
      rootDetails: library.rootsWithState().map((r) => ({
        path: r.path,
        online: r.online,
        offlineSince: r.offlineSince,
        watched: r.watched,
        indexed: r.indexed,
        pending: r.pending,
        failed: r.failed,
      })),
      indexing: indexing.snapshot(),
    }),

    listPhotos: (q) => library.listPhotos(q),
    timeline: (q) => buildTimeline(library, q),

    photo: ({ id }): PhotoInfo | null => {
      const p = library.photo(id);
      if (!p) return null;
      const { auto, text } = library.annotationsOf(id);
      return { ...p, tags: library.tagsOf(id), caption: library.captionOf(id), auto: auto.map(({ tag, score }) => ({ tag, score })), text };
    },

    photos: ({ ids }) => {
      const byId = new Map(photosOf(ids).map((p) => [p.id, p]));
      return ids.flatMap((id) => {
        const p = byId.get(id);
        return p ? [summaryOf(p)] : [];
      });
    },

    folders: () => library.folders(),

    similar: async ({ ids, k }): Promise<SimilarResult> => {
      const want = k ?? settings.get().similarCount;
      const queries = photosOrThrow(ids);
      const answers = await library.similar(
        queries.map((q) => q.path),
        queries.length === 1 ? want : want * SIMILAR_OVERFETCH,
      );
      const exclude = new Set(ids);
      return described({ queries: queries.map(summaryOf), results: rank(combine(answers.map((a) => a.results), exclude).slice(0, want)) });
    },

    similarToImage: async ({ image, k }): Promise<SimilarResult> => {
      const bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength); // a view, not a copy
      let hits: SimilarHit[];
      try {
        hits = await library.similarToBuffer(bytes, k ?? settings.get().similarCount);
      } catch (error) {
        throw new ApiError('invalid-request', error instanceof Error ? error.message : String(error));
      }
      return described({ queries: [], results: rank(hits) });
    },

    dupes: async (q) => {
      // Every tier unless the request narrows it: the view filters by tier itself.
      const answer = await library.dupes(q.tiers ? { tiers: q.tiers, folder: q.folder } : { tier: 'similar', folder: q.folder });
      return { groups: toDupeGroups(answer, photosOf) };
    },

    resolveDupes: async ({ decisions }) => {
      // The core refuses to trash a reference folder's photos and carries the trashed copies'
      // tags, captions and "not duplicates" decisions over to the keeper.
      const answer = await library.resolveDupes(decisions.map((d) => ({ keep: pathsOrThrow(d.keep), trash: pathsOrThrow(d.trash) })));
      changed('resolved');
      return toResolveResult(answer);
    },

    undoResolve: async () => {
      const answer = await library.undoLastResolve();
      changed('undo');
      return toUndoResult(answer);
    },

    notDuplicates: ({ ids }) => {
      photosOrThrow(ids);
      library.notDuplicates(ids);
      changed('not-duplicates');
      return { ok: true as const };
    },

    clusters: async (q) => {
      const s = settings.get().clusters;
      const answer = await library.clusters({ folder: q.folder, minSize: q.minSize ?? s.minSize, level: q.level });
      return { clusters: toClusters(answer, photosOf) };
    },

    search: async (q) => {
      const answer = await library.search({ ...q, like: q.like && pathsOrThrow(q.like) });
      return toSearchAnswer(answer, photosOf);
    },

    ...peopleHandlers(library, changed),

    tags: () => library.tags(),

    tag: ({ ids, tags }) => {
      photosOrThrow(ids);
      for (const id of ids) library.tag(id, tags);
      changed('tags');
      return { ok: true as const };
    },

    untag: ({ ids, tags }) => {
      photosOrThrow(ids);
      for (const id of ids) library.untag(id, tags);
      changed('tags');
      return { ok: true as const };
    },

    caption: ({ id, text }) => {
      photoOrThrow(id);
      library.caption(id, text);
      changed('tags');
      return { ok: true as const };
    },

    roots: () => library.roots(),

    addRoot: async ({ path: folder }) => {
      const resolved = checkFolderToAdd(folder, library.roots()).path;
      try {
        await library.addRoot(resolved);
      } catch (error) {
        throw new ApiError('invalid-request', error instanceof Error ? error.message : String(error));
      }
      // A watched library reconciles and watches the new root itself; otherwise index it now.
      if (!indexing.snapshot().watching) indexing.start();
      changed('roots');
      const roots = library.roots();
      return roots.includes(resolved) ? roots : [...roots, resolved].sort();
    },

    removeRoot: async ({ path: folder }) => {
      if (!library.roots().includes(path.resolve(folder))) throw new ApiError('not-found', `not a library folder: ${folder}`);
      await library.removeRoot(path.resolve(folder));
      changed('roots');
      return library.roots();
    },

    startIndexing: () => (writable('index'), indexing.start()),
    cancelIndexing: () => indexing.cancel(),

    settings: () => settings.get(),
    updateSettings: (patch) => (writable('change the settings'), settings.update(patch)),

    suggestTags: (req) => suggestTags(library, req),
    things: (req) => things(library, req),
    checkDatabase: () => databaseChecker.start(),
    databaseCheck: () => databaseChecker.snapshot(),

    photoMenu: async ({ ids }) => {
      if (!host.photoMenu) throw unsupported('The native context menu');
      return { action: await host.photoMenu(ids) };
    },
    pickFolder: async () => {
      if (!host.pickFolder) throw unsupported('The folder picker');
      return { path: await host.pickFolder() };
    },
    reveal: ({ id }) => {
      if (!host.reveal) throw unsupported('Showing files in the file manager');
      host.reveal(photoOrThrow(id).path);
      return { ok: true as const };
    },
  };

  return {
    handlers,
    dispatch: createDispatch(handlers, { onInternalError: options.onInternalError, heavy: HEAVY_CALLS }),
    indexing,
    watch: () => (library.readOnly ? Promise.resolve() : indexing.watch()),
    reportBackgroundError: (error) => indexing.backgroundFailure(error),
    media: (kind, id) => resolveMedia(library, options.thumbnailDir, kind, id),
    close: () => indexing.stop(),
  };
}

/** Adds what each score means and where the list stops being similar. */
function described(result: SimilarResult): SimilarResult {
  const { meanings, similarCount } = describeRanking(result.results.map((r) => r.score));
  return { ...result, results: result.results.map((r, i) => ({ ...r, meaning: meanings[i] })), similarCount };
}

/**
 * Ranks the union of several queries' neighbours by their mean score, counting a photo missing
 * from one query's list at that list's lowest score (an upper bound of what it would have had).
 */
export function combine(lists: SimilarHit[][], exclude: Set<number>): SimilarHit[] {
  if (lists.length === 1) return lists[0].filter((h) => !exclude.has(h.id));
  const floors = lists.map((l) => (l.length ? Math.min(...l.map((h) => h.score)) : 0));
  const byId = new Map<number, { hit: SimilarHit; scores: (number | undefined)[] }>();
  lists.forEach((list, i) => {
    for (const hit of list) {
      if (exclude.has(hit.id)) continue;
      let entry = byId.get(hit.id);
      if (!entry) byId.set(hit.id, (entry = { hit, scores: new Array(lists.length).fill(undefined) }));
      entry.scores[i] = hit.score;
    }
  });
  return [...byId.values()]
    .map(({ hit, scores }) => ({
      ...hit,
      score: scores.reduce<number>((sum, s, i) => sum + (s ?? floors[i]), 0) / lists.length,
    }))
    .sort((a, b) => b.score - a.score);
}
