/**
 * End to end, as a new user: `likeness serve` on a new, empty library; open Duplicates and
 * Clusters (empty), then add a folder of photos with planted copies. The server stays up and the
 * photos appear (on first run it used to exit: a 1-d placeholder search index met 1792-d vectors).
 * Then, in a small 800×600 window, the mouse wheel scrolls Duplicates, Clusters and Settings to
 * their last item with the sidebar's footer still on screen; and when the server stops, the page
 * says so plainly. Screenshots go to test-artifacts/screenshots/first-use-*.png.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { serve, type Served } from './harness.js';
import { trashSandbox } from '../helpers/trash-sandbox.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const DATASET = path.resolve(repo, '..', 'shared', 'datasets', 'ferrari-100');
const SHOTS = path.join(repo, 'test-artifacts', 'screenshots');
const missing = !fs.existsSync(CHROMIUM) ? `${CHROMIUM} is not installed` : !fs.existsSync(DATASET) ? `${DATASET} is missing` : null;
const PER_COLOUR = 8;
const VIEWPORT = { width: 800, height: 600 };

let tmp: string;
let photos: string;
let photoCount = 0;
let served: Served;
let context: BrowserContext;
let page: Page;

/** A few photos per colour, two byte-identical copies and three smaller re-encodes. */
async function makePhotos(): Promise<void> {
  const colours = fs.readdirSync(DATASET).filter((d) => fs.statSync(path.join(DATASET, d)).isDirectory()).sort();
  const firsts: string[] = [];
  for (const colour of colours) {
    fs.mkdirSync(path.join(photos, colour), { recursive: true });
    const files = fs.readdirSync(path.join(DATASET, colour)).filter((f) => f.endsWith('.jpg')).sort().slice(0, PER_COLOUR);
    for (const f of files) fs.copyFileSync(path.join(DATASET, colour, f), path.join(photos, colour, f));
    if (colour === colours[colours.length - 1]) {
      // One photo carries a camera's exposure EXIF (ferrari-100 photos have none): 1/250 s, f/2.8, ISO 200, 35 mm.
      const f = files[files.length - 1];
      await sharp(path.join(DATASET, colour, f))
        .withExif({ IFD0: { Make: 'Canon', Model: 'Canon EOS 5D' }, IFD2: { ExposureTime: '1/250', FNumber: '28/10', ISOSpeedRatings: '200', FocalLength: '35/1' } })
        .jpeg({ quality: 92 })
        .toFile(path.join(photos, colour, f));
    }
    firsts.push(path.join(photos, colour, files[0]));
    photoCount += files.length;
  }
  fs.mkdirSync(path.join(photos, 'copies'));
  for (const [i, f] of firsts.slice(0, 2).entries()) fs.copyFileSync(f, path.join(photos, 'copies', `exact-${i}.jpg`));
  for (const [i, f] of firsts.slice(1, 4).entries()) await sharp(f).resize(480).jpeg({ quality: 70 }).toFile(path.join(photos, 'copies', `small-${i}.jpg`));
  photoCount += 5;
  // A tall photo: a mosaic's thumbnail of unusual shape must not stretch its cluster card.
  fs.mkdirSync(path.join(photos, 'tall'));
  const { width = 0, height = 0 } = await sharp(firsts[3]).metadata();
  await sharp(firsts[3]).extract({ left: Math.round(width * 0.4), top: 0, width: Math.round(height / 2.5), height }).jpeg().toFile(path.join(photos, 'tall', 'strip.jpg'));
  photoCount += 1;
}

async function go(hash: string): Promise<void> {
  await page.evaluate((h) => {
    (globalThis as any).location.hash = h;
  }, hash);
}

/** Wheels over `scroller` until `last` is in view (or 40 turns); returns the scroller's scrollTop. */
async function wheelTo(scroller: string, last: string): Promise<number> {
  const box = await page.locator(scroller).boundingBox();
  assert.ok(box, `${scroller} is on screen`);
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height, VIEWPORT.height - box.y) / 2);
  for (let i = 0; i < 40; i++) {
    const bottom = await page.locator(last).last().evaluate((el: any) => el.getBoundingClientRect().bottom);
    if (bottom <= VIEWPORT.height) break;
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(60);
  }
  return page.locator(scroller).evaluate((el: any) => el.scrollTop);
}

async function assertInView(selector: string, what: string): Promise<void> {
  const rect = await page.locator(selector).last().evaluate((el: any) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom };
  });
  assert.ok(rect.bottom <= VIEWPORT.height + 1 && rect.top >= 0, `${what} is on screen after wheeling (top ${rect.top}, bottom ${rect.bottom}, window ${VIEWPORT.height})`);
}

describe('first use in Chromium: empty library, add a folder, scroll every view', { skip: missing ?? false, timeout: 300_000 }, () => {
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-first-use-'));
    photos = path.join(tmp, 'photos');
    fs.mkdirSync(SHOTS, { recursive: true });
    await makePhotos();
    served = await serve(['--db', path.join(tmp, 'new.db'), '--port', '0'], { cwd: repo, env: trashSandbox(tmp).env });
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: VIEWPORT,
      colorScheme: 'light',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(served.url);
  });

  after(async () => {
    await context?.close();
    await served?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a new library: Duplicates and Clusters are empty, then adding a folder indexes it and the server stays up', async () => {
    await page.waitForSelector('[data-testid="library-empty"]');
    await go('#/duplicates');
    await page.waitForSelector('[data-testid="dupes-empty"]', { timeout: 60_000 });
    await go('#/clusters');
    await page.waitForSelector('[data-testid="clusters-empty"]', { timeout: 60_000 });
    await go('#/settings');
    await page.waitForSelector('[data-testid="root-input"]:focus');
    assert.equal(await page.locator('.live-badge').count(), 0, '"Watching for changes" only when a folder is watched');
    await page.fill('[data-testid="root-input"]', photos);
    let stderr = '';
    served.process.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const died = new Promise<never>((_, reject) => served.process.once('exit', (code) => reject(new Error(`likeness serve exited (${code}): ${stderr.trim()}`))));
    await page.click('[data-testid="add-root"]');
    await Promise.race([
      died,
      page.waitForFunction(
        (n) => Number(document.querySelector('[data-testid="nav-library"] .nav-count')?.textContent?.replace(/\D/g, '')) === n,
        photoCount,
        { timeout: 180_000 },
      ),
    ]);
    await page.waitForSelector('[data-testid="indexing-status"].running', { state: 'detached', timeout: 120_000 });
    assert.equal(served.process.exitCode, null, 'likeness serve is still running');
    assert.equal(served.process.signalCode, null);
    await go('#/library');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="library-view"] .tile.loaded').length >= 10);
    await page.screenshot({ path: path.join(SHOTS, 'first-use-library-800.png') });
    await go('#/duplicates');
    await page.waitForSelector('[data-testid="dupe-group"]', { timeout: 60_000 });
    assert.equal(served.process.exitCode, null, 'likeness serve survived Duplicates after indexing');
  });

  it('the wheel scrolls Duplicates to its last group, with the sidebar footer on screen', async () => {
    await go('#/duplicates');
    await page.waitForSelector('[data-testid="dupe-group"]');
    const groups = await page.locator('[data-testid="dupe-group"]').count();
    assert.ok(groups >= 3, `planted copies make several groups (${groups})`);
    const scrolled = await wheelTo('[data-testid="duplicates-view"] .view-body', '[data-testid="dupe-group"]');
    assert.ok(scrolled > 0, 'the group list scrolled');
    await assertInView('[data-testid="dupe-group"]', 'the last duplicate group');
    await assertInView('[data-testid="nav-settings"]', 'the sidebar Settings button');
    await assertInView('[data-testid="theme-toggle"]', 'the theme button');
    await page.screenshot({ path: path.join(SHOTS, 'first-use-duplicates-end-800.png') });
  });

  it('the wheel scrolls Clusters to its last card', async () => {
    // Twelve clusters of the real photos (more than fit in the window, whatever this small
    // library's clustering gives): the view's scrolling is under test here, not the clustering.
    const real = await page.evaluate(async () => {
      const r = await fetch('/api/clusters', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return ((await r.json()) as { value: { clusters: { representative: unknown; memberIds: number[] }[] } }).value.clusters[0];
    });
    assert.ok(real, 'the library has at least one cluster');
    // Each with 1 to 3 thumbnails (mosaics of every layout, some showing the tall photo) and a
    // core id that is not its place.
    const tall = await page.evaluate(async () => {
      const post = async (call: string, body: unknown) =>
        ((await (await fetch(`/api/${call}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json()) as { value: any }).value;
      const { ids } = await post('timeline', {});
      const photos = (await post('photos', { ids })) as { id: number; name: string }[];
      return photos.find((p) => p.name === 'strip.jpg')!.id;
    });
    const others = real.memberIds.filter((id) => id !== tall);
    const clusters = Array.from({ length: 12 }, (_, i) => {
      const memberIds = i % 3 === 0 ? others.slice(0, 1) : i % 3 === 1 ? [others[1], tall] : [others[2], others[3], tall];
      return { id: 100 + i, label: `Cluster number ${i + 1}`, size: memberIds.length, representative: real.representative, memberIds };
    });
    await page.route('**/api/clusters', (route) => route.fulfill({ json: { ok: true, value: { clusters } } }));
    await go('#/clusters');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="cluster-card"]').length === 12, undefined, { timeout: 60_000 });
    const scrolled = await wheelTo('[data-testid="clusters-view"] .view-body', '[data-testid="cluster-card"]');
    assert.ok(scrolled > 0, 'the cluster grid scrolled');
    await assertInView('[data-testid="cluster-card"]', 'the last cluster');
    await assertInView('[data-testid="nav-settings"]', 'the sidebar Settings button');
    await page.screenshot({ path: path.join(SHOTS, 'first-use-clusters-end-800.png') });
    const heights = await page.$$eval('[data-testid="cluster-card"]', (cards) => cards.map((c: any) => Math.round(c.getBoundingClientRect().height)));
    assert.equal(new Set(heights).size, 1, `cards of one height: ${heights}`);
    // The URL names a cluster by its place: #/clusters/2 is the second card.
    await go('#/clusters/2');
    await page.waitForSelector('[data-testid="cluster-view"]');
    assert.equal(await page.textContent('[data-testid="cluster-view"] .view-title h1'), 'Cluster number 2');
    await page.goBack();
    await page.waitForSelector('[data-testid="cluster-grid"]');
    await page.click('[data-testid="cluster-card"] >> nth=2');
    await page.waitForFunction(() => (globalThis as any).location.hash === '#/clusters/3');
    assert.equal(await page.textContent('[data-testid="cluster-view"] .view-title h1'), 'Cluster number 3');
    await page.unroute('**/api/clusters');
  });

  it('the wheel scrolls Settings to its last section', async () => {
    await go('#/settings');
    await page.waitForSelector('[data-testid="roots"] li');
    const scrolled = await wheelTo('[data-testid="settings-view"] .view-body', '.settings-card');
    assert.ok(scrolled > 0, 'settings scrolled');
    await assertInView('.settings-card', 'the last settings section');
    await assertInView('[data-testid="nav-settings"]', 'the sidebar Settings button');
    await page.screenshot({ path: path.join(SHOTS, 'first-use-settings-end-800.png') });
  });

  it('folders: plain-language refusals, removing asks first, a vanished folder shows offline by itself', async () => {
    await go('#/settings');
    await page.waitForSelector('[data-testid="roots"] li .path');
    assert.equal(await page.locator('.live-badge').count(), 1, 'watching the folder');
    const refusal = async (typed: string) => {
      await page.fill('[data-testid="root-input"]', typed);
      await page.click('[data-testid="add-root"]');
      await page.waitForSelector('[data-testid="root-error"]');
      return String(await page.textContent('[data-testid="root-error"]'));
    };
    assert.match(await refusal('photos/red'), /is not a full folder path\. Type the whole path/);
    assert.match(await refusal(path.join(photos, 'red')), /already in your library: it is inside .*photos, whose sub-folders are all indexed/);
    await page.screenshot({ path: path.join(SHOTS, 'first-use-folder-refused-800.png') });
    await page.fill('[data-testid="root-input"]', '');

    await page.click(`[data-testid="roots"] button[aria-label="Remove ${photos}"]`);
    await page.waitForSelector('[data-testid="remove-root-dialog"]');
    assert.match(String(await page.textContent('[data-testid="remove-root-dialog"]')), /Nothing on disk is touched/);
    await page.screenshot({ path: path.join(SHOTS, 'first-use-remove-folder-800.png') });
    await page.click('[data-testid="cancel-remove-root"]');
    assert.ok((await page.textContent('[data-testid="roots"]'))?.includes(photos), 'cancel keeps the folder');

    // A second folder, then it disappears (an unplugged drive): "Offline" without a rescan.
    const extra = path.join(tmp, 'card');
    fs.mkdirSync(extra);
    const red = fs.readdirSync(path.join(DATASET, 'red')).filter((f) => f.endsWith('.jpg')).sort()[PER_COLOUR + 1];
    fs.copyFileSync(path.join(DATASET, 'red', red), path.join(extra, red));
    await page.fill('[data-testid="root-input"]', extra);
    await page.click('[data-testid="add-root"]');
    const row = page.locator('[data-testid="roots"] li', { hasText: extra });
    await row.waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="indexing-status"].running'), undefined, { timeout: 60_000 });
    fs.renameSync(extra, `${extra}-gone`);
    await row.locator('.root-offline').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SHOTS, 'first-use-folder-offline-800.png') });
    fs.renameSync(`${extra}-gone`, extra);
    await row.locator('.root-offline').waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('a similar-shot group is trashed only after a deliberate confirmation; copies are not asked about', async () => {
    type Group = { key: string; tier: string; keeperId: number; members: { id: number; path: string }[] };
    const real = await page.evaluate(async () => {
      const r = await fetch('/api/dupes', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return ((await r.json()) as { value: { groups: Group[] } }).value;
    });
    const near = real.groups.find((g) => g.tier === 'near');
    assert.ok(near, `the planted re-encodes make a near group: ${real.groups.map((g) => g.tier)}`);
    // The same photos presented as a similar-shot group (which photos the finder calls similar
    // shots is the finder's business; here: what the view does with one).
    const similar = { ...near, key: `similar-${near.keeperId}`, tier: 'similar' };
    await page.route('**/api/dupes', (route) => route.fulfill({ json: { ok: true, value: { ...real, groups: [similar] } } }));
    let resolves = 0;
    await page.route('**/api/resolveDupes', (route) => {
      resolves++;
      return route.continue();
    });
    const loser = near.members.find((m) => m.id !== near.keeperId)!;
    try {
      await go('#/library');
      await go('#/duplicates');
      await page.waitForSelector('[data-testid="dupe-tier"]:has-text("Similar shot")');
      await page.click('[data-testid="dupe-group"]', { position: { x: 10, y: 10 } });
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="confirm-similar"]');
      assert.match(String(await page.textContent('[data-testid="confirm-similar"]')), /different pictures/);
      await page.screenshot({ path: path.join(SHOTS, 'first-use-confirm-similar-800.png') });
      await page.keyboard.press('Enter'); // Enter alone does not confirm
      await page.click('[data-testid="cancel-resolve"]');
      await page.waitForSelector('[data-testid="confirm-similar"]', { state: 'detached' });
      assert.equal(resolves, 0, 'nothing was sent to the trash without confirming');
      assert.ok(fs.existsSync(loser.path));
      await page.click('[data-testid="resolve-group"]');
      await page.click('[data-testid="confirm-resolve"]');
      await page.waitForSelector('[data-testid="toast"]:has-text("Undo")');
      assert.equal(resolves, 1);
      assert.equal(fs.existsSync(loser.path), false, 'confirmed: the other photo went to the trash');
      await page.click('[data-testid="toast"] button:has-text("Undo")');
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="toast"]')].some((t: any) => /Restored/.test(t.textContent ?? '')));
      assert.ok(fs.existsSync(loser.path), 'undo put it back');
    } finally {
      await page.unroute('**/api/dupes');
      await page.unroute('**/api/resolveDupes');
    }
  });

  it('a reference folder\'s photo is the keeper of its group, and a resolve never trashes it', async () => {
    const card = path.join(tmp, 'card');
    const red = fs.readdirSync(path.join(photos, 'red')).sort()[0];
    const refCopy = path.join(card, `ref-${red}`);
    fs.copyFileSync(path.join(photos, 'red', red), refCopy); // newer than the others: not the usual keeper
    await go('#/settings');
    const row = page.locator('[data-testid="roots"] li', { hasText: card });
    await row.locator('[data-testid="reference-toggle"]').click();
    await page.waitForFunction((p) => document.querySelector(`[aria-label="${p} is a reference folder"]`)?.checked, card);
    await page.waitForFunction(() => !document.querySelector('[data-testid="indexing-status"].running'), undefined, { timeout: 60_000 });
    await go('#/duplicates');
    // The reference copy is a byte-identical copy: keeper of its exact group, and so the photo
    // that stands for that group in the near group of the same picture (the first is shown first).
    const group = page.locator('[data-testid="dupe-group"]', { has: page.locator(`.dupe-name:has-text("ref-${red}")`) }).first();
    await group.waitFor({ timeout: 60_000 });
    assert.equal(await group.locator('[data-keeper="true"] .dupe-name').textContent(), `ref-${red}`);
    assert.match(String(await group.locator('.dupe-group-footer').textContent()), /in a reference folder \(card\): always kept/);
    await page.screenshot({ path: path.join(SHOTS, 'first-use-reference-keeper-800.png') });
    // Even choosing another keeper by hand, the reference photo is not trashed.
    await group.locator('[data-keeper="false"]').first().click();
    await group.locator('[data-testid="resolve-group"]').click();
    await page.waitForSelector('[data-testid="toast"]:has-text("in a reference folder")');
    assert.ok(fs.existsSync(refCopy), 'the reference photo stayed');
    await page.click('[data-testid="undo"]');
    await page.waitForSelector('[data-testid="toast"]:has-text("Restored")');
    await go('#/settings');
    await row.locator('[data-testid="reference-toggle"]').click();
    await page.waitForFunction((p) => !document.querySelector(`[aria-label="${p} is a reference folder"]`)?.checked, card);
  });

  it('bulk resolve: every exact group after one summary, tags and captions carried to the keeper, one undo', async () => {
    type Group = { key: string; tier: string; keeperId: number; members: { id: number; path: string }[] };
    const api = (call: string, body: unknown) =>
      page.evaluate(
        async ([c, b]) => ((await (await fetch(`/api/${c}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) })).json()) as { value: any }).value,
        [call, body] as const,
      );
    const exact = ((await api('dupes', {})) as { groups: Group[] }).groups.filter((g) => g.tier === 'exact');
    assert.equal(exact.length, 2, 'the two planted byte-identical copies (one also in the card folder)');
    const copies = exact.flatMap((g) => g.members.filter((m) => m.id !== g.keeperId));
    await api('tag', { ids: [copies[0].id], tags: ['keepme'] });
    await api('caption', { id: copies[0].id, text: 'written on the copy' });

    await go('#/duplicates');
    await page.click('.segmented button:has-text("Exact copy")');
    await page.click('[data-testid="resolve-all"]');
    await page.waitForSelector('[data-testid="bulk-summary"]');
    const summary = String(await page.textContent('[data-testid="bulk-summary"]'));
    assert.match(summary, new RegExp(`${copies.length} files, [\\d.]+ [KM]B from 2 groups go to the trash`));
    assert.match(summary, /Keepers chosen by: /);
    await page.screenshot({ path: path.join(SHOTS, 'first-use-bulk-summary-800.png') });
    await page.click('[data-testid="confirm-resolve-all"]');
    await page.waitForSelector('[data-testid="toast"]:has-text("from 2 groups")');
    for (const c of copies) assert.equal(fs.existsSync(c.path), false, `${c.path} went to the trash`);
    const keeper = (await api('photo', { id: exact[0].keeperId })) as { tags: string[]; caption: string | null };
    assert.deepEqual(keeper.tags, ['keepme'], 'the copy\'s tag is on the keeper');
    assert.equal(keeper.caption, 'written on the copy');
    await page.click('[data-testid="toast"]:has-text("from 2 groups") button:has-text("Undo")');
    await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="toast"]')].some((t: any) => (t.textContent ?? '').includes(`Restored ${n} photos`)), copies.length);
    for (const c of copies) assert.ok(fs.existsSync(c.path), `${c.path} is back`);
  });

  it('similar results say what their score means, and the less alike tail is hidden until asked for', async () => {
    type Group = { tier: string; keeperId: number; members: { id: number }[] };
    const exact = await page.evaluate(async () => {
      const r = await fetch('/api/dupes', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return ((await r.json()) as { value: { groups: Group[] } }).value.groups.find((g) => g.tier === 'exact')!;
    });
    await go(`#/similar?ids=${exact.keeperId}`);
    await page.waitForSelector('[data-testid="similar-view"] [data-testid="similarity"]');
    const first = page.locator('[data-testid="similar-view"] .tile[data-index="0"]');
    assert.equal(Number(await first.getAttribute('data-id')), exact.members.find((m) => m.id !== exact.keeperId)!.id, 'its byte-identical copy ranks first');
    assert.equal(await first.locator('[data-testid="similarity"]').textContent(), 'Copy');
    const words = await page.$$eval('[data-testid="similar-view"] [data-testid="similarity"]', (els) => els.map((e) => e.textContent));
    assert.ok(words.every((w) => ['Copy', 'Very similar', 'Similar'].includes(String(w))), `words, not percentages: ${words}`);
    await page.screenshot({ path: path.join(SHOTS, 'first-use-similar-words-800.png') });

    // A list whose tail stops being similar (as the server cuts it): the tail waits behind a button.
    const real = await page.evaluate(async (id) => {
      const r = await fetch('/api/similar', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ids: [id] }) });
      return ((await r.json()) as { value: { queries: unknown[]; results: { score: number }[] } }).value;
    }, exact.keeperId);
    const results = real.results.slice(0, 6);
    await page.route('**/api/similar', (route) => route.fulfill({ json: { ok: true, value: { ...real, results, similarCount: 3 } } }));
    try {
      await go('#/library');
      await go(`#/similar?ids=${exact.keeperId}`);
      await page.waitForSelector('[data-testid="ranked-cut"]');
      assert.match(String(await page.textContent('[data-testid="ranked-cut"]')), /3 similar photos; 3 less alike hidden/);
      assert.equal(await page.locator('[data-testid="similar-view"] .tile').count(), 3);
      await page.click('[data-testid="show-less-similar"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="similar-view"] .tile').length === 6);
    } finally {
      await page.unroute('**/api/similar');
    }
  });

  it('detail view: zoom to 100 %, a caption that is kept and searchable, copy the path, previous/next', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await go('#/library');
    await page.waitForSelector('[data-testid="library-view"] .tile.loaded');
    await page.click('.tile[data-index="1"]');
    await page.waitForSelector('.detail-image.full.loaded');
    const name = String(await page.textContent('.detail-name'));
    await page.click('[data-testid="zoom-actual"]');
    const zoom = await page.locator('[data-testid="detail-actual"] img').evaluate(async (img: any) => {
      await img.decode();
      return { shown: img.getBoundingClientRect().width, natural: img.naturalWidth, dpr: (globalThis as any).devicePixelRatio };
    });
    assert.ok(Math.abs(zoom.shown - zoom.natural / zoom.dpr) < 1, `one image pixel per screen pixel: ${JSON.stringify(zoom)}`);
    await page.screenshot({ path: path.join(SHOTS, 'first-use-detail-100-800.png') });
    await page.keyboard.press('z');
    await page.waitForSelector('[data-testid="detail-actual"]', { state: 'detached' });

    await page.fill('[data-testid="caption-input"]', 'Parked by the opera house');
    await page.press('[data-testid="caption-input"]', 'Enter');
    await page.waitForSelector('[data-testid="toast"]:has-text("Caption saved")');
    await page.locator('[data-testid="caption-input"]').blur();
    await page.click('[data-testid="copy-path"]');
    const copied = await page.evaluate(() => (globalThis as any).navigator.clipboard.readText());
    assert.equal(copied, await page.textContent('[data-testid="detail-path"]'));
    await page.screenshot({ path: path.join(SHOTS, 'first-use-detail-800.png') });
    await page.click('.detail-nav.next');
    await page.waitForFunction((n) => document.querySelector('.detail-name')?.textContent !== n, name);
    await page.click('.detail-nav.prev');
    await page.waitForFunction((n) => document.querySelector('.detail-name')?.textContent === n, name);
    assert.equal(await page.inputValue('[data-testid="caption-input"]'), 'Parked by the opera house', 'the caption is kept');
    await page.keyboard.press('Escape');
    await go('#/search');
    await page.fill('[data-testid="search-input"]', 'opera');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="search-view"] .tile').length === 1, undefined, { timeout: 30_000 });
    await page.fill('[data-testid="search-input"]', '');
  });

  it('detail view: exposure, aperture, ISO and focal length, with their units', async () => {
    const id = await page.evaluate(async () => {
      const r = await fetch('/api/search', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'Canon' }) });
      const hits = ((await r.json()) as { value: { hits: { photo: { id: number } }[] } }).value.hits;
      return hits.length === 1 ? hits[0].photo.id : null;
    });
    assert.ok(id !== null, 'one photo says it was taken with a Canon');
    await go('#/search');
    await page.fill('[data-testid="search-input"]', 'Canon');
    // (Wait for that very tile: the list of the previous search stays until the new one arrives.)
    await page.click(`[data-testid="search-view"] .tile[data-id="${id}"]`, { timeout: 30_000 });
    await page.waitForSelector('[data-testid="exif"] [data-fact="Exposure"]');
    const facts = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('[data-testid="exif"] .exif-row')].map((r: any) => [r.querySelector('dt').textContent, r.querySelector('dd').textContent])),
    );
    assert.equal(facts.Camera, 'Canon EOS 5D');
    assert.equal(facts.Exposure, '1/250 s');
    assert.equal(facts.Aperture, 'f/2.8');
    assert.equal(facts.ISO, 'ISO 200');
    assert.equal(facts['Focal length'], '35 mm');
    await page.screenshot({ path: path.join(SHOTS, 'first-use-detail-exposure-800.png') });
    await page.keyboard.press('Escape');
    await page.fill('[data-testid="search-input"]', '');
  });

  it('reverse image search has a visible entry: a "Search with a photo…" button, a drop hint, and pasting an image', async () => {
    const outside = path.join(DATASET, 'red', fs.readdirSync(path.join(DATASET, 'red')).filter((f) => f.endsWith('.jpg')).sort()[PER_COLOUR + 2]);
    await go('#/search');
    await page.waitForSelector('[data-testid="drop-hint"]');
    assert.match(String(await page.textContent('[data-testid="drop-hint"]')), /Drop a photo .* paste one/);
    await page.screenshot({ path: path.join(SHOTS, 'first-use-search-entry-800.png') });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid="search-with-photo"]')]);
    await chooser.setFiles(outside);
    await page.waitForSelector('[data-testid="image-search-view"] [data-testid="similarity"]', { timeout: 60_000 });
    assert.match(String(await page.textContent('[data-testid="image-search-view"] .query-name')), new RegExp(path.basename(outside).replace('.', '\\.')));

    await go('#/library');
    await page.waitForSelector('[data-testid="library-view"] .tile.loaded');
    const bytes = fs.readFileSync(outside).toString('base64');
    await page.evaluate((b64) => {
      const data = Uint8Array.from(atob(b64), (c: string) => c.charCodeAt(0));
      const transfer = new (globalThis as any).DataTransfer();
      transfer.items.add(new File([data], 'pasted.jpg', { type: 'image/jpeg' }));
      (globalThis as any).dispatchEvent(new (globalThis as any).ClipboardEvent('paste', { clipboardData: transfer }));
    }, bytes);
    await page.waitForSelector('[data-testid="image-search-view"] [data-testid="similarity"]', { timeout: 60_000 });
    assert.match(String(await page.textContent('[data-testid="image-search-view"] .query-name')), /pasted\.jpg/);
  });

  it('at 800×600 the sidebar folds to icons (and opens on request), and no view overflows sideways', async () => {
    const sidebarWidth = () => page.locator('.sidebar').evaluate((el: any) => el.getBoundingClientRect().width);
    assert.ok((await sidebarWidth()) <= 64, `folded sidebar: ${await sidebarWidth()} px`);
    for (const view of ['#/library', '#/duplicates', '#/clusters', '#/search', '#/settings']) {
      await go(view);
      await page.waitForTimeout(400);
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        // Buttons whose label wrapped onto a second line, or that stick out of the window.
        wrapped: [...document.querySelectorAll('.view-header .btn, .view-header .segmented button')]
          .filter((b: any) => b.getBoundingClientRect().height > 36 || b.getBoundingClientRect().right > (globalThis as any).innerWidth)
          .map((b: any) => b.textContent),
      }));
      assert.ok(layout.scrollWidth <= VIEWPORT.width, `${view}: nothing wider than the window (${layout.scrollWidth} px)`);
      assert.deepEqual(layout.wrapped, [], `${view}: header buttons stay on one line and on screen`);
      await page.screenshot({ path: path.join(SHOTS, `first-use-${view.slice(2)}-800.png`) });
    }
    await page.click('[data-testid="sidebar-toggle"]');
    await page.waitForFunction(() => document.querySelector('.sidebar').getBoundingClientRect().width > 200);
    assert.ok(await page.locator('[data-testid="folder-list"]').isVisible(), 'the open sidebar lists the folders');
    await page.screenshot({ path: path.join(SHOTS, 'first-use-sidebar-open-800.png') });
    await page.click('[data-testid="sidebar-toggle"]');
    await page.waitForFunction(() => document.querySelector('.sidebar').getBoundingClientRect().width <= 64);
  });

  it('thumbnails are sharp on a 2× screen: the tile gets an image with a pixel for each device pixel', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const other = await (await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 2 })).newPage();
      await other.goto(served.url);
      await other.waitForFunction(() => document.querySelectorAll('[data-testid="library-view"] .tile.loaded').length >= 8, undefined, { timeout: 60_000 });
      assert.equal(await other.evaluate(() => (globalThis as any).devicePixelRatio), 2);
      const tiles = await other.$$eval('[data-testid="library-view"] .tile.loaded', (els) =>
        els.slice(0, 8).map((t: any) => {
          const img = t.querySelector('img');
          return { id: Number(t.getAttribute('data-id')), css: t.getBoundingClientRect().width, w: img.naturalWidth, h: img.naturalHeight };
        }),
      );
      const originals = (await other.evaluate(async (ids) => {
        const r = await fetch('/api/photos', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ids }) });
        return ((await r.json()) as { value: { id: number; width: number; height: number }[] }).value;
      }, tiles.map((t) => t.id))) as { id: number; width: number; height: number }[];
      for (const t of tiles) {
        const o = originals.find((p) => p.id === t.id)!;
        // A square, cropped tile needs the image's short side to cover it at 2 device pixels per
        // CSS pixel (or all the photo has, when it is smaller than that).
        const needed = Math.min(Math.round(t.css * 2), Math.min(o.width, o.height));
        assert.ok(Math.min(t.w, t.h) >= needed - 1, `photo ${t.id} (${o.width}×${o.height}): a ${t.w}×${t.h} image for a ${t.css.toFixed(0)} px tile at 2×`);
      }
      await other.screenshot({ path: path.join(SHOTS, 'first-use-library-dpr2-800.png') });
    } finally {
      await browser.close();
    }
  });

  it('says plainly when the server is gone', async () => {
    await go('#/library');
    await page.waitForSelector('[data-testid="library-view"] .tile.loaded');
    assert.equal(await page.locator('[data-testid="connection-lost"]').count(), 0, 'no banner while the server runs');
    await served.stop();
    await page.waitForSelector('[data-testid="connection-lost"]', { timeout: 30_000 });
    assert.match(String(await page.textContent('[data-testid="connection-lost"]')), /Lost the connection to Likeness.*likeness serve/);
    await page.screenshot({ path: path.join(SHOTS, 'first-use-connection-lost-800.png') });
  });
});
