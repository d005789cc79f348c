/** The handlers over a stub core: shapes, combined "more like these", timeline groups, one lookup per answer. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { LikenessEvent } from '../../preload/contract.js';
import { combine, createApi } from '../../main/api/handlers.js';
import type { CoreLibrary } from '../../main/api/library-port.js';
import type { DuplicatesAnswer, PhotoDetail } from '../../main/core/types.js';
import { DEFAULT_THRESHOLDS } from '../../main/core/duplicates/thresholds.js';
import type { Watcher, WatchOptions } from '../../main/core/watch/watcher.js';
import { openDatabase } from '../../main/core/store/database.js';
import { SettingsRepository } from '../../main/core/store/settings-repository.js';
import { photoDetail } from '../helpers/photo-detail.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-api-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function photo(id: number, folder: string, takenAt: string | null): PhotoDetail {
  return photoDetail(id, path.join(folder, `p${id}.jpg`), {
    size: 1000 + id,
    mtimeMs: Date.UTC(2023, 0, 1),
    width: 100,
    height: 80,
    takenAt,
    format: 'jpeg',
  });
}

/** A stub core over four photos, counting its photo lookups; members a test reaches but does not give fail, naming themselves. */
function stubLibrary(extra: Partial<CoreLibrary> = {}): CoreLibrary & { fixtures: PhotoDetail[]; lookups: { photo: number; photos: number } } {
  const root = path.join(tmp, 'root');
  const fixtures = [
    photo(1, root, '2024-05-02T10:00:00'),
    photo(2, root, '2024-05-01T10:00:00'),
    photo(3, path.join(root, 'sub'), '2024-03-09T10:00:00'),
    photo(4, path.join(root, 'sub'), null),
  ];
  const lookups = { photo: 0, photos: 0 };
  const settings = new SettingsRepository(openDatabase(':memory:'));
  const stub: Partial<CoreLibrary> & { fixtures: PhotoDetail[]; lookups: typeof lookups } = {
    fixtures,
    lookups,
    readOnly: null,
    annotationOn: false,
    facesOn: false,
    index: async () => ({ scanned: 0, added: 0, updated: 0, unchanged: 0, removed: 0, indexed: 0, failed: 0, seconds: 0 }),
    similar: async (queries) =>
      queries.map((q) => ({
        query: q,
        results: q.endsWith('p1.jpg')
          ? [{ id: 2, path: '', score: 0.9 }, { id: 3, path: '', score: 0.5 }, { id: 1, path: '', score: 0.99 }]
          : [{ id: 3, path: '', score: 0.8 }, { id: 4, path: '', score: 0.7 }],
      })),
    similarToBuffer: async () => [{ id: 4, path: '', score: 0.6 }],
    status: () => ({ indexed: 4, pending: 0, failed: 0, failures: [] }),
    listPhotos: (q = {}) => {
      const list = fixtures.slice(q.offset ?? 0, (q.offset ?? 0) + (q.limit ?? 200));
      return { total: fixtures.length, photos: list };
    },
    timelineRows: () => fixtures.map(({ id, path, takenAt, mtimeMs }) => ({ id, path, takenAt, mtimeMs })),
    photo: (id) => (lookups.photo++, fixtures.find((p) => p.id === id) ?? null),
    photos: (ids) => (lookups.photos++, fixtures.filter((p) => ids.includes(p.id))),
    folders: () => [{ path: root, count: 2 }],
    roots: () => [root],
    rootsWithState: () => [],
    referenceFolders: () => [],
    duplicateThresholds: () => DEFAULT_THRESHOLDS,
    settings: () => settings,
    close: async () => {},
    ...extra,
  };
  return new Proxy(stub, {
    get: (target, key) =>
      key in target || typeof key === 'symbol' || key === 'then'
        ? target[key as keyof typeof target]
        : () => {
            throw new Error(`the stub core has no ${String(key)}`);
          },
  }) as CoreLibrary & typeof stub;
}

function api(library: CoreLibrary, events: LikenessEvent[] = []) {
  return createApi({ library, dbPath: path.join(tmp, 'x.db'), thumbnailDir: path.join(tmp, 'thumbs'), host: { mode: 'web' }, legacySettingsFile: null, emit: (e) => events.push(e) });
}

/** Resolves at the first event of `type` the API emits into `events`: a wait on the event, not a sleep. */
function nextEvent(events: LikenessEvent[], type: LikenessEvent['type']): Promise<LikenessEvent> {
  return new Promise((resolve) => {
    const push = events.push.bind(events);
    events.push = (...items: LikenessEvent[]) => {
      const length = push(...items);
      const hit = items.find((e) => e.type === type);
      if (hit) {
        events.push = push;
        resolve(hit);
      }
      return length;
    };
  });
}

describe('api handlers', () => {
  it('answers appInfo with the calls this build can answer', async () => {
    const a = api(stubLibrary());
    const r = await a.dispatch('appInfo', {});
    assert.equal(r.ok, true);
    if (!r.ok) return;
    const info = r.value as { available: string[]; mode: string };
    assert.equal(info.mode, 'web');
    assert.ok(info.available.includes('similar'));
    assert.ok(info.available.includes('dupes'), 'every core feature is available');
    assert.ok(!info.available.includes('photoMenu'), 'native menus are not available in the web mode');
  });

  it("maps the core's duplicate groups: members as summaries, the keeper, evidence as short facts, from one lookup", async () => {
    const member = (id: number) => ({ id, path: `/p/p${id}.jpg`, width: 100, height: 80, format: 'jpeg', size: 1000 + id, takenAt: null, thumbnail: null });
    const evidence = { value: null, cosine: null, dhash: null, phash: null, alignment: null, secondsApart: null };
    const answer: DuplicatesAnswer = {
      groups: [
        {
          key: 'exact:1',
          tier: 'exact',
          keeperId: 2,
          keeper: '/p/p2.jpg',
          keeperReason: 'largest file',
          members: [member(2), member(1)],
          paths: ['/p/p2.jpg', '/p/p1.jpg'],
          evidence: [
            { ...evidence, a: 2, b: 1, kind: 'exact', label: 'Identical file content', value: 0 },
            { ...evidence, a: 2, b: 1, kind: 'near', label: 'same picture', cosine: 0.992, dhash: 0, phash: 1 },
          ],
        },
        {
          // Photo 99 left the library since: a group of one is no group.
          key: 'near:2',
          tier: 'near',
          keeperId: 3,
          keeper: '/p/p3.jpg',
          keeperReason: 'highest resolution',
          members: [member(3), member(99)],
          paths: ['/p/p3.jpg', '/p/p99.jpg'],
          evidence: [{ ...evidence, a: 3, b: 99, kind: 'near', label: 'same picture', secondsApart: 4 }],
        },
      ],
      stats: { files: 4, candidatePairs: 2, alignmentChecks: 0, seconds: 0 },
    };
    const library = stubLibrary({ dupes: async () => answer });
    const withDupes = await api(library).dispatch('dupes', {});
    assert.equal(withDupes.ok, true);
    if (!withDupes.ok) return;
    const { groups } = withDupes.value as { groups: { tier: string; keeperId: number; keeperReason: string; members: { id: number; name: string; mtimeMs: number }[]; evidence: { label: string; details: string[]; ids: number[]; value?: number }[] }[] };
    assert.equal(groups.length, 1);
    assert.equal(groups[0].tier, 'exact');
    assert.equal(groups[0].keeperId, 2);
    assert.equal(groups[0].keeperReason, 'largest file');
    assert.deepEqual(groups[0].members.map((m) => m.id), [2, 1]);
    assert.equal(groups[0].members[1].name, 'p1.jpg', 'members are the library\'s summaries');
    assert.equal(groups[0].evidence[0].label, 'Identical file content');
    assert.deepEqual(groups[0].evidence[0].details, ['Identical files']);
    assert.equal(groups[0].evidence[0].value, 0);
    const near = groups[0].evidence[1];
    assert.deepEqual(near.details, ['Similarity 99%', 'dHash 0/64', 'pHash 1/64']);
    assert.deepEqual(near.ids, [2, 1]);
    assert.equal(near.value, undefined);
    assert.deepEqual(library.lookups, { photo: 0, photos: 1 }, 'every member of every group in one lookup');
  });

  it('names clusters from one lookup of their photos', async () => {
    const cluster = (id: number, memberIds: number[]) => ({ id, size: memberIds.length, representativeId: memberIds[0], representative: '', memberIds, paths: [], cohesion: 0.9 });
    const library = stubLibrary({
      clusters: async () => ({ clusters: [cluster(1, [1, 2]), cluster(2, [3, 4])], unclustered: 0, threshold: 0.5, granularity: 1, seconds: 0 }),
    });
    const r = await api(library).dispatch('clusters', {});
    assert.ok(r.ok);
    const { clusters } = r.value as { clusters: { label: string; representative: { id: number }; memberIds: number[] }[] };
    assert.deepEqual(clusters.map((c) => c.label), ['root', 'sub'], 'named after the folder their photos share');
    assert.deepEqual(clusters.map((c) => c.representative.id), [1, 3]);
    assert.deepEqual(library.lookups, { photo: 0, photos: 1 }, 'one lookup for every cluster, not one per member');
  });

  it('finds similar photos by id, never returning the queries, with summaries', async () => {
    const r = await api(stubLibrary()).dispatch('similar', { ids: [1] });
    assert.equal(r.ok, true);
    if (!r.ok) return;
    const value = r.value as { queries: { id: number }[]; results: { photo: { id: number; path: string }; score: number }[] };
    assert.deepEqual(value.queries.map((q) => q.id), [1]);
    assert.deepEqual(value.results.map((x) => x.photo.id), [2, 3]);
    assert.match(value.results[0].photo.path, /p2\.jpg$/);
  });

  it('ranks "more like these" by the mean over the queries', () => {
    const ranked = combine(
      [
        [{ id: 10, path: '', score: 0.9 }, { id: 11, path: '', score: 0.5 }],
        [{ id: 11, path: '', score: 0.9 }, { id: 12, path: '', score: 0.6 }],
      ],
      new Set(),
    );
    // A photo missing from a query's list counts at that list's lowest score (0.5 and 0.6 here).
    assert.deepEqual(ranked.map((h) => h.id), [10, 11, 12]);
    assert.ok(Math.abs(ranked[0].score - 0.75) < 1e-9);
    assert.ok(Math.abs(ranked[1].score - 0.7) < 1e-9);
    assert.deepEqual(combine([[{ id: 1, path: '', score: 1 }, { id: 2, path: '', score: 0.5 }]], new Set([1])).map((h) => h.id), [2]);
  });

  it('reports a missing photo as not-found', async () => {
    const r = await api(stubLibrary()).dispatch('similar', { ids: [99] });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'not-found');
  });

  it('lays out a timeline grouped by month', async () => {
    const r = await api(stubLibrary()).dispatch('timeline', { sort: 'date' });
    assert.equal(r.ok, true);
    if (!r.ok) return;
    const t = r.value as { ids: number[]; groups: { key: string; label: string; start: number; count: number }[]; grouping: string };
    assert.deepEqual(t.ids, [1, 2, 3, 4]);
    assert.equal(t.grouping, 'month');
    assert.deepEqual(t.groups.map((g) => [g.key, g.start, g.count]), [['2024-05', 0, 2], ['2024-03', 2, 1], ['2023-01', 3, 1]]);
    assert.equal(t.groups[0].label, 'May 2024');
  });

  it('uses the core\'s narrow timeline rows when it has them', async () => {
    let listed = 0;
    const library = stubLibrary({
      listPhotos: () => {
        listed++;
        return { total: 0, photos: [] };
      },
      timelineRows: () => [
        { id: 7, path: '/p/a/x.jpg', takenAt: null, mtimeMs: Date.UTC(2022, 1, 3) },
        { id: 8, path: '/p/b/y.jpg', takenAt: null, mtimeMs: Date.UTC(2022, 1, 9) },
      ],
    });
    const r = await api(library).dispatch('timeline', { sort: 'name' });
    assert.equal(listed, 0);
    assert.ok(r.ok);
    const t = r.value as { ids: number[]; groups: { label: string }[] };
    assert.deepEqual(t.ids, [7, 8]);
    assert.deepEqual(t.groups.map((g) => g.label), ['a', 'b'], 'sorted by name, grouped by folder');
  });

  it('keeps settings, with the duplicate thresholds in the core', async () => {
    let thresholds = { ...DEFAULT_THRESHOLDS, near: 0.26, similarCosine: 0.8, similarSeconds: 600 };
    const a = api(
      stubLibrary({
        duplicateThresholds: () => thresholds,
        setDuplicateThresholds: (patch) => (thresholds = { ...thresholds, ...patch }),
      }),
    );
    const r = await a.dispatch('updateSettings', { duplicates: { similarCosine: 0.9 }, similarCount: 30 });
    assert.equal(r.ok, true);
    assert.equal(thresholds.similarCosine, 0.9);
    const s = await a.dispatch('settings', {});
    assert.ok(s.ok);
    const value = s.value as { duplicates: { similarCosine: number; near: number }; similarCount: number };
    assert.equal(value.duplicates.similarCosine, 0.9);
    assert.equal(value.duplicates.near, 0.26);
    assert.equal(value.similarCount, 30);
  });

  it('passes the clusters granularity to the core and refuses one it does not know', async () => {
    const asked: unknown[] = [];
    const library = stubLibrary({
      clusters: async (q) => {
        asked.push(q);
        return { clusters: [{ id: 1, size: 2, representativeId: 1, representative: '', memberIds: [1, 2], paths: [], cohesion: 0.9 }], unclustered: 2, threshold: 0.5, granularity: 1, seconds: 0 };
      },
    });
    for (const level of ['coarser', 1.5] as const) {
      const r = await api(library).dispatch('clusters', { level });
      assert.equal(r.ok, true);
    }
    assert.deepEqual(asked.map((q) => (q as { level?: unknown }).level), ['coarser', 1.5]);
    for (const level of ['huge', 3]) {
      const r = await api(library).dispatch('clusters', { level });
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error.code, 'invalid-request');
    }
  });

  it('refuses to add a folder that does not exist', async () => {
    const r = await api(stubLibrary()).dispatch('addRoot', { path: path.join(tmp, 'nope') });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'not-found');
    if (!r.ok) assert.match(r.error.message, /^There is no folder at .*nope\. Check the spelling/);
  });

  it('says in plain words why a folder cannot be added: relative, a file, already in, or inside a library folder', async () => {
    const library = stubLibrary();
    const [root] = library.roots();
    fs.mkdirSync(path.join(root, 'inner'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'a-file.jpg'), 'x');
    const a = api(library);
    const message = async (p: string) => {
      const r = await a.dispatch('addRoot', { path: p });
      assert.equal(r.ok, false, `${p} is refused`);
      return r.ok ? '' : r.error.message;
    };
    assert.match(await message('photos/2024'), /“photos\/2024” is not a full folder path\. Type the whole path/);
    assert.doesNotMatch(await message('photos/2024'), /addRoot|must be absolute/);
    assert.match(await message(path.join(tmp, 'a-file.jpg')), /is a file, not a folder/);
    assert.match(await message(root), /is already in your library\.$/);
    assert.match(await message(path.join(root, 'inner')), new RegExp(`already in your library: it is inside ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('runs indexing in the background and publishes its progress', async () => {
    const events: LikenessEvent[] = [];
    let calls = 0;
    const library = stubLibrary({
      index: async (_folders, opts) => {
        calls++;
        opts?.onProgress?.({ phase: 'indexing', done: 1, total: 2, failed: 0, imagesPerSecond: 10, etaSeconds: 0.1 });
        return { scanned: 2, added: 2, updated: 0, unchanged: 0, removed: 0, indexed: 2, failed: 0, seconds: 0.2 };
      },
    });
    const a = api(library, events);
    const started = await a.dispatch('startIndexing', {});
    assert.equal(started.ok, true);
    await a.indexing.idle();
    assert.equal(calls, 1);
    const states = events.filter((e) => e.type === 'indexing');
    assert.ok(states.some((e) => e.type === 'indexing' && e.state.running));
    const last = states[states.length - 1];
    assert.ok(last.type === 'indexing' && !last.state.running && last.state.last?.indexed === 2);
    assert.ok(events.some((e) => e.type === 'library-changed'));
  });

  it('relays a watching core: progress, changes, notices; a rescan asks the core to reconcile, without a restart', async () => {
    const events: LikenessEvent[] = [];
    let watchers = 0;
    let stops = 0;
    let rescans = 0;
    let hooks: WatchOptions = {};
    const library = stubLibrary({
      watch: async (options) => {
        watchers++;
        hooks = options ?? {};
        return {} as Watcher;
      },
      stopWatching: async () => {
        stops++;
      },
      rescan: async () => {
        rescans++;
        hooks.onEvent!({ type: 'ready', roots: [], pending: 0 }); // the core reports the reconciled roots, as at start
      },
    });
    const a = api(library, events);
    await a.watch();
    assert.equal(watchers, 1);
    assert.equal(a.indexing.snapshot().watching, true);
    hooks.onProgress!({ phase: 'indexing', done: 1, total: 3, failed: 0, imagesPerSecond: 5, etaSeconds: 0.4 });
    assert.equal(a.indexing.snapshot().running, true);
    hooks.onProgress!({ phase: 'indexing', done: 3, total: 3, failed: 1, imagesPerSecond: 5, etaSeconds: 0 });
    assert.equal(a.indexing.snapshot().running, false);
    assert.equal(a.indexing.snapshot().last?.failed, 1);
    hooks.onEvent!({ type: 'offline', root: '/mnt/photos', reason: 'unplugged' });
    assert.ok(events.some((e) => e.type === 'notice' && e.level === 'warning' && e.message.includes('/mnt/photos')));
    const changed = nextEvent(events, 'library-changed');
    hooks.onEvent!({ type: 'added', path: '/mnt/photos/a.jpg', id: 9 });
    await changed; // the change notice is debounced: wait for it, not for a guessed delay
    assert.ok(events.some((e) => e.type === 'library-changed'));

    const rescanFrom = events.length;
    await a.dispatch('startIndexing', {});
    await a.indexing.idle();
    assert.equal(rescans, 1, 'a rescan has the core reconcile the roots');
    assert.equal(stops, 0, 'the watcher is not stopped for it');
    assert.equal(watchers, 1, 'nor started again');
    const during = events.slice(rescanFrom).flatMap((e) => (e.type === 'indexing' ? [e.state] : []));
    assert.equal(during[0]?.running, true, 'the scan shows as running');
    assert.equal(during[0]?.progress?.phase, 'scanning');
    const after = during[during.length - 1];
    assert.ok(after && after.watching && !after.running && after.error === null, 'watching again, nothing running');

    hooks.onEvent!({ type: 'fatal', reason: 'The disk is full' });
    assert.equal(a.indexing.snapshot().error, 'The disk is full');
    await a.close();
    assert.equal(stops, 1);
  });

  it('reports a fatal stop as a stop: batches still in the post do not bring back "running"; resume starts a new watcher', async () => {
    const events: LikenessEvent[] = [];
    let watchers = 0;
    let hooks: WatchOptions = {};
    let rescans = 0;
    const library = stubLibrary({
      watch: async (options) => {
        watchers++;
        hooks = options ?? {};
        return {} as Watcher;
      },
      stopWatching: async () => {},
      rescan: async () => void rescans++,
    });
    const a = api(library, events);
    await a.watch();
    hooks.onProgress!({ phase: 'indexing', done: 128, total: 1000, failed: 0, imagesPerSecond: 5, etaSeconds: 170 });
    hooks.onEvent!({ type: 'fatal', reason: 'the disk holding the library is full: indexing stopped.' });
    // The workers finish the batches they had: the core may still report them.
    hooks.onProgress!({ phase: 'indexing', done: 136, total: 1000, failed: 0, imagesPerSecond: 5, etaSeconds: 170 });
    const status = await a.dispatch('status', {});
    assert.ok(status.ok);
    const state = (status.value as { indexing: import('../../preload/contract.js').IndexingState }).indexing;
    assert.equal(state.running, false, 'stopped, not running for ever at 136/1000');
    assert.equal(state.watching, false, 'nothing watches the folders any more');
    assert.equal(state.progress, null);
    assert.match(state.error ?? '', /disk holding the library is full/);
    await a.dispatch('startIndexing', {});
    await a.indexing.idle();
    assert.equal(watchers, 2, 'resuming starts a new watcher');
    assert.equal(rescans, 0, 'the dead one is not asked to rescan');
    assert.equal(a.indexing.snapshot().watching, true);
    await a.close();
  });

  it('answers a cheap call (status) before the heavy searches queued ahead of it, and every heavy one in turn', async () => {
    let searched = 0;
    let searchedWhenStatusRan = -1;
    const library = stubLibrary({
      // A search that holds the thread (as a scan of a large library does), then answers.
      similar: async (queries) => {
        const until = Date.now() + 15;
        while (Date.now() < until) {
          // computing
        }
        searched++;
        return queries.map((q) => ({ query: q, results: [] }));
      },
      status: () => {
        searchedWhenStatusRan = searched;
        return { indexed: 4, pending: 0, failed: 0, failures: [] };
      },
    });
    const a = api(library);
    const heavy = Array.from({ length: 10 }, () => a.dispatch('similar', { ids: [1] }));
    const status = await a.dispatch('status', {});
    assert.ok(status.ok);
    // Before, each similar ran to its end as it arrived: status waited for all 10 (14.5 s behind 50).
    assert.equal(searchedWhenStatusRan, 0, 'status did not wait for the searches queued before it');
    assert.ok((await Promise.all(heavy)).every((r) => r.ok));
    assert.equal(searched, 10);
  });

  it('answers unsupported for native-only calls in the web mode', async () => {
    const r = await api(stubLibrary()).dispatch('pickFolder', {});
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'unsupported');
  });
});
