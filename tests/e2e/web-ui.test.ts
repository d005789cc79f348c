/**
 * End to end: `likeness index` a small fixture library, `likeness serve` it, and drive the UI in
 * Debian's Chromium (playwright-core, headless): the grid shows thumbnails, right-click → Find
 * similar ranks results, duplicates resolve to a sandboxed home trash and undo restores, clusters and
 * search work, an outside image dropped on the window finds its look-alikes, adding a folder shows
 * indexing progress. Screenshots of every view go to test-artifacts/screenshots/.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`) and ../shared/datasets/ferrari-100;
 * skipped with a message when either is missing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import type { AppInfo } from '../../preload/contract.js';
import { likeness, serve, type Served } from './harness.js';
import { trashSandbox } from '../helpers/trash-sandbox.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

// Code passed to page.evaluate / waitForFunction runs in the page; this (Node) compilation has no DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any, document: any, DataTransfer: any, requestAnimationFrame: (f: () => void) => number;

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const DATASET = path.resolve(repo, '..', 'shared', 'datasets', 'ferrari-100');
const SHOTS = path.join(repo, 'test-artifacts', 'screenshots');
const missing = !fs.existsSync(CHROMIUM) ? `${CHROMIUM} is not installed` : !fs.existsSync(DATASET) ? `${DATASET} is missing` : null;

const PER_COLOUR = 7;
let tmp: string;
let fixture: string;
let trash: string;
let dupePath: string;
let outsideImage: string;
let served: Served;
let context: BrowserContext;
let page: Page;
let info: AppInfo;

/** Copies a few photos per colour into a temp library, with dates spread over months, plus a resized copy. */
async function makeFixture(): Promise<void> {
  const colours = fs.readdirSync(DATASET).filter((d) => fs.statSync(path.join(DATASET, d)).isDirectory()).sort();
  let n = 0;
  for (const colour of colours) {
    const files = fs.readdirSync(path.join(DATASET, colour)).filter((f) => f.endsWith('.jpg')).sort();
    fs.mkdirSync(path.join(fixture, colour), { recursive: true });
    for (const file of files.slice(0, PER_COLOUR)) {
      const to = path.join(fixture, colour, file);
      fs.copyFileSync(path.join(DATASET, colour, file), to);
      const when = new Date(Date.UTC(2024, 8 - Math.floor(n / 6), 3 + (n % 6) * 4, 14, 30));
      fs.utimesSync(to, when, when);
      n++;
    }
    outsideImage ??= path.join(DATASET, colour, files[PER_COLOUR + 1]);
  }
  // A re-encoded, smaller copy of the first red photo: the duplicates view has a group to resolve.
  const red = fs.readdirSync(path.join(fixture, 'red')).sort()[0];
  fs.mkdirSync(path.join(fixture, 'exports'), { recursive: true });
  dupePath = path.join(fixture, 'exports', `small-${red}`);
  await sharp(path.join(fixture, 'red', red)).resize(512).jpeg({ quality: 72 }).toFile(dupePath);
  const exported = new Date(Date.UTC(2024, 9, 12, 9, 15));
  fs.utimesSync(dupePath, exported, exported);
}

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(250); // let image fades finish
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function go(hash: string): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
}

function needs(t: TestContext, call: string): boolean {
  if (info.available.includes(call as never)) return true;
  t.skip(`the core has no "${call}" yet`);
  return false;
}

function findFile(dir: string, name: string): string | null {
  if (!fs.existsSync(dir)) return null;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findFile(p, name);
      if (found) return found;
    } else if (entry.name.includes(name)) {
      return p;
    }
  }
  return null;
}

describe('web UI in Chromium', { skip: missing ?? false, timeout: 300_000 }, () => {
  before(async () => {
    assert.ok(fs.existsSync(path.join(repo, 'dist', 'renderer', 'index.html')), 'the renderer is not built (npm run build runs vite build)');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-e2e-'));
    fixture = path.join(tmp, 'library');
    const sandbox = trashSandbox(tmp);
    trash = sandbox.trashDir;
    fs.mkdirSync(SHOTS, { recursive: true });
    await makeFixture();
    const db = path.join(tmp, 'lib.db');
    await likeness(['index', fixture, '--db', db], { cwd: repo });
    served = await serve(['--db', db, '--port', '0'], { cwd: repo, env: sandbox.env });
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1360, height: 860 },
      colorScheme: 'light',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(served.url);
    info = await page.evaluate(async () => {
      const r = await fetch('/api/appInfo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return ((await r.json()) as { value: AppInfo }).value;
    });
  });

  after(async () => {
    await context?.close();
    await served?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('prints the URL first, drops the token from the address bar, and serves on 127.0.0.1', () => {
    assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    assert.doesNotMatch(page.url(), /token=/);
  });

  it('shows the library grid with thumbnails, grouped by month', async () => {
    await page.waitForSelector('[data-testid="library-view"] .tile.loaded');
    await page.waitForFunction(() => document.querySelectorAll('.tile.loaded').length >= 20);
    const sizes = await page.$$eval('.tile.loaded img', (imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth));
    assert.ok(sizes.every((w) => w > 0 && w <= 512), `thumbnails, not originals: ${sizes.slice(0, 5)}`);
    const headers = await page.$$eval('.vgrid-header h2', (hs) => hs.map((h) => h.textContent));
    assert.ok(headers.length >= 2, `month headers: ${headers}`);
    assert.match(String(await page.textContent('.view-subtitle')), /\d+ photos/);
    await shot('01-library-light');

    await page.click('[data-testid="theme-toggle"]');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await shot('02-library-dark');
    await page.click('[data-testid="theme-toggle"]');
  });

  it('opens a folder from the sidebar', async () => {
    await page.click('[data-testid="folder-list"] button:has-text("red")');
    await page.waitForFunction(() => document.querySelector('.view-title h1')?.textContent === 'red');
    await page.waitForFunction((n) => document.querySelectorAll('.tile.loaded').length === n, PER_COLOUR);
    await go('#/library');
    await page.waitForFunction(() => document.querySelector('.view-title h1')?.textContent === 'Library');
  });

  it('opens the detail view with EXIF and tags, and moves with the keyboard', async () => {
    await page.click('.tile[data-index="0"]');
    await page.waitForSelector('[data-testid="photo-detail"] .exif-row');
    await page.waitForSelector('.detail-image.full.loaded');
    const rows = await page.$$eval('[data-testid="exif"] dt', (dts) => dts.map((d) => d.textContent));
    assert.ok(rows.includes('Dimensions') && rows.includes('File size'), `EXIF rows: ${rows}`);
    if (info.available.includes('tag')) {
      await page.fill('.tag-form input', 'showroom');
      await page.press('.tag-form input', 'Enter');
      await page.waitForSelector('[data-testid="tags"] .chip:has-text("showroom")');
      await page.locator('.tag-form input').blur();
    }
    await shot('03-detail');
    const first = await page.textContent('.detail-name');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((name) => document.querySelector('.detail-name')?.textContent !== name, first);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="photo-detail"]', { state: 'detached' });
  });

  it('right-click → Find similar shows ranked results with their similarity', async () => {
    const tile = page.locator('.tile[data-index="2"]');
    const queryId = Number(await tile.getAttribute('data-id'));
    await tile.click({ button: 'right' });
    await page.waitForSelector('[data-testid="context-menu"]');
    await shot('04-context-menu');
    await page.click('[data-testid="context-menu"] button:has-text("Find similar")');
    await page.waitForSelector('[data-testid="similar-view"] .tile.loaded');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="similarity"]').length >= 10);
    const scores = await page.$$eval('[data-testid="similarity"]', (els) => els.map((e) => Number(e.getAttribute('data-score'))));
    for (let i = 1; i < scores.length; i++) assert.ok(scores[i] <= scores[i - 1], `ranked: ${scores}`);
    const ids = await page.$$eval('[data-testid="similar-view"] .tile', (els) => els.map((e) => Number(e.getAttribute('data-id'))));
    assert.ok(!ids.includes(queryId), 'the query is not among its own results');
    assert.match(String(await page.textContent('.view-title h1')), /^Similar to /);
    await shot('05-similar');
  });

  it('selecting several photos offers "More like these"', async () => {
    await go('#/library');
    await page.waitForSelector('[data-testid="library-view"] .tile.loaded');
    await page.click('.tile[data-index="0"]', { modifiers: ['Control'] });
    await page.click('.tile[data-index="1"]', { modifiers: ['Control'] });
    await page.waitForSelector('[data-testid="selection-bar"]');
    await shot('06-selection');
    await page.click('[data-testid="more-like-these"]');
    await page.waitForSelector('[data-testid="similar-view"] [data-testid="similarity"]');
    assert.match(String(await page.textContent('.view-title h1')), /More like these 2 photos/);
  });

  it('reverse image search: an image dropped on the window finds its look-alikes', async () => {
    await go('#/library');
    await page.waitForSelector('[data-testid="library-view"] .tile.loaded');
    const bytes = fs.readFileSync(outsideImage).toString('base64');
    const transfer = await page.evaluateHandle((b64) => {
      const data = Uint8Array.from(atob(b64), (c: string) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], 'query-car.jpg', { type: 'image/jpeg' }));
      return dt;
    }, bytes);
    await page.dispatchEvent('.main', 'dragenter', { dataTransfer: transfer });
    await page.waitForSelector('[data-testid="drop-overlay"]');
    await shot('07-drop-overlay');
    await page.dispatchEvent('.main', 'drop', { dataTransfer: transfer });
    await page.waitForSelector('[data-testid="image-search-view"] [data-testid="similarity"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="image-search-view"] .tile.loaded');
    await shot('08-image-search');
  });

  it('duplicates: resolves a group into the trash folder, and undo restores it', async (t) => {
    if (!needs(t, 'dupes') || !needs(t, 'resolveDupes')) return;
    await go('#/duplicates');
    await page.waitForSelector('[data-testid="dupe-group"]', { timeout: 60_000 });
    const group = page.locator('[data-testid="dupe-group"]', { has: page.locator(`.dupe-name:has-text("small-")`) }).first();
    await group.waitFor();
    assert.ok(await group.locator('[data-testid="dupe-evidence"] li').count(), 'the group says why it matches');
    const keeper = await group.locator('[data-keeper="true"] .dupe-name').textContent();
    assert.doesNotMatch(String(keeper), /^small-/, 'the larger original is the suggested keeper');
    await group.click({ position: { x: 10, y: 10 } });
    await shot('09-duplicates');
    await page.click('[data-testid="theme-toggle"]');
    await shot('09b-duplicates-dark');
    await page.click('[data-testid="theme-toggle"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="toast"]:has-text("Undo")');
    assert.equal(fs.existsSync(dupePath), false, 'the copy left its folder');
    assert.ok(findFile(trash, path.basename(dupePath)), 'the copy is in the test trash folder');
    await shot('10-duplicates-resolved');
    await page.click('[data-testid="toast"] button:has-text("Undo")');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="toast"]')].some((t: any) => /Restored/.test(t.textContent ?? '')));
    assert.equal(fs.existsSync(dupePath), true, 'undo put the copy back');
  });

  it('clusters: cards with a count open into their photos', async (t) => {
    if (!needs(t, 'clusters')) return;
    await go('#/clusters');
    await page.waitForSelector('[data-testid="cluster-card"]', { timeout: 60_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('.cluster-card img')].every((i: any) => i.complete));
    const counts = await page.$$eval('.cluster-count', (els) => els.map((e) => Number.parseInt(e.textContent ?? '0', 10)));
    assert.ok(counts.length >= 1 && counts.every((n) => n >= 2), `cluster sizes: ${counts}`);
    await shot('11-clusters');
    await page.click('[data-testid="cluster-card"] >> nth=0');
    await page.waitForSelector('[data-testid="cluster-view"] .tile.loaded');
    assert.equal(await page.locator('[data-testid="cluster-view"] .tile').count(), counts[0]);
    await shot('12-cluster-open');
  });

  it('clusters: the granularity control asks for finer or coarser groups, and the choice stays', async (t) => {
    if (!needs(t, 'clusters')) return;
    await go('#/clusters');
    await page.waitForSelector('[data-testid="cluster-card"]', { timeout: 60_000 });
    const tab = (name: string) => page.locator(`[data-testid="cluster-level"] button:has-text("${name}")`);
    assert.equal(await tab('Default').getAttribute('aria-selected'), 'true');
    for (const name of ['Coarser', 'Finer']) {
      const asked = page.waitForRequest((r) => r.url().endsWith('/api/clusters') && (r.postData() ?? '').includes(`"level":"${name.toLowerCase()}"`));
      await tab(name).click();
      await asked;
      assert.equal(await tab(name).getAttribute('aria-selected'), 'true');
    }
    // Opening a card and coming back keeps the level (the card numbers refer to its list).
    await page.waitForSelector('[data-testid="cluster-card"]', { timeout: 60_000 });
    await page.click('[data-testid="cluster-card"] >> nth=0');
    await page.waitForSelector('[data-testid="cluster-view"]');
    await page.click('[aria-label="All clusters"]');
    await page.waitForSelector('[data-testid="cluster-level"]');
    assert.equal(await tab('Finer').getAttribute('aria-selected'), 'true');
    await tab('Default').click();
  });

  it('search: text with filters, and more like a selection', async (t) => {
    if (!needs(t, 'search')) return;
    await go('#/search');
    await page.fill('[data-testid="search-input"]', 'yellow');
    await page.waitForSelector('[data-testid="search-view"] .tile.loaded', { timeout: 30_000 });
    const total = await page.locator('[data-testid="search-view"] .tile').count();
    assert.ok(total >= 1, 'results for a folder name');
    await shot('13-search');
    if (info.available.includes('tag')) {
      await page.fill('[data-testid="search-input"]', '');
      await page.click('.filters .chip.toggle:has-text("showroom")');
      // The tagged photo; the duplicates step above may also have given its tag to the keeper it
      // was resolved into (tags of trashed copies carry over), so one or two.
      await page.waitForFunction(() => [1, 2].includes(document.querySelectorAll('[data-testid="search-view"] .tile').length));
      await page.click('.filters .chip.toggle:has-text("showroom")');
      await page.fill('[data-testid="search-input"]', 'yellow');
      await page.waitForSelector('[data-testid="search-view"] .tile.loaded');
    }
    await page.click('[data-testid="search-view"] .tile[data-index="0"]', { modifiers: ['Control'] });
    await page.click('[data-testid="search-more-like"]');
    await page.waitForSelector('.chip.on:has-text("Like 1 photo")');
  });

  it('settings: adding a folder indexes it, with progress shown in the sidebar', async () => {
    const extra = path.join(tmp, 'more');
    fs.mkdirSync(extra);
    // Photos the fixture does not hold (it takes the first few of each colour): enough for the
    // progress card to stay on screen for a moment.
    const files: string[] = [];
    for (const colour of fs.readdirSync(DATASET).filter((d) => fs.statSync(path.join(DATASET, d)).isDirectory())) {
      for (const f of fs.readdirSync(path.join(DATASET, colour)).filter((x) => x.endsWith('.jpg')).sort().slice(PER_COLOUR + 3)) {
        fs.copyFileSync(path.join(DATASET, colour, f), path.join(extra, `${colour}-${f}`));
        files.push(f);
      }
    }
    await go('#/settings');
    await page.waitForSelector('[data-testid="roots"] li');
    await shot('14-settings');
    const before = Number((await page.textContent('[data-testid="nav-library"] .nav-count'))?.replace(/\D/g, ''));
    await page.fill('[data-testid="root-input"]', extra);
    await page.click('[data-testid="add-root"]');
    await page.waitForSelector('[data-testid="indexing-status"].running [data-testid="indexing-count"]', { timeout: 30_000 });
    await go('#/library');
    await page.waitForFunction(() => /\/ [1-9]/.test(document.querySelector('[data-testid="indexing-count"]')?.textContent ?? ''), undefined, { timeout: 30_000 }).catch(() => {});
    await page.waitForTimeout(300); // thumbnails fade in
    await page.screenshot({ path: path.join(SHOTS, '15-indexing-progress.png') });
    await page.waitForSelector('[data-testid="indexing-status"].running', { state: 'detached', timeout: 120_000 });
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="nav-library"] .nav-count')?.textContent?.replace(/\D/g, '')) >= n,
      before + files.length,
    );
    await go('#/settings');
    assert.ok((await page.textContent('[data-testid="roots"]'))?.includes(extra));
    assert.match(String(await page.textContent('[data-testid="roots"] li:has-text("/more")')), /\d+ photos/);
    await page.waitForTimeout(300);
    await shot('14b-settings-two-folders');
    if (info.available.includes('removeRoot')) {
      await page.click(`[data-testid="roots"] button[aria-label="Remove ${extra}"]`);
      await page.click('[data-testid="confirm-remove-root"]');
      await page.waitForFunction((p) => !document.querySelector('[data-testid="roots"]')?.textContent?.includes(p), extra);
      await page.waitForFunction(
        (n) => Number(document.querySelector('[data-testid="nav-library"] .nav-count')?.textContent?.replace(/\D/g, '')) === n,
        before,
      );
    }
  });

  it('stays windowed and smooth with 100k photos', async () => {
    // A 100k-photo timeline (ids the library does not have: their thumbnails 404 quickly).
    const total = 100_000;
    const ids = Array.from({ length: total }, (_, i) => 1_000_000 + i);
    const groups = Array.from({ length: 100 }, (_, g) => ({ key: `g${g}`, label: `Month ${g + 1}`, start: g * 1000, count: 1000 }));
    const big = await context.newPage();
    try {
      await big.route('**/api/timeline', (route) => route.fulfill({ json: { ok: true, value: { total, ids, groups, grouping: 'month' } } }));
      await big.goto(served.url);
      await big.waitForSelector('.tile');
      const tiles = await big.locator('.tile').count();
      assert.ok(tiles > 0 && tiles < 400, `only the rows in view are in the DOM (${tiles} tiles)`);
      // Frame times while scrolling (40 px a frame), and while jumping across the whole library.
      const { scroll, jump } = await big.evaluate(async () => {
        const grid = document.querySelector('.vgrid');
        const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
        const p90 = async (step: (i: number) => void) => {
          const times: number[] = [];
          let last = performance.now();
          for (let i = 1; i <= 90; i++) {
            step(i);
            await frame();
            const now = performance.now();
            times.push(now - last);
            last = now;
          }
          return times.sort((a, b) => a - b)[Math.floor(times.length * 0.9)];
        };
        const scroll = await p90(() => (grid.scrollTop += 40));
        const jump = await p90((i) => (grid.scrollTop = (grid.scrollHeight * i) / 90));
        return { scroll, jump };
      });
      console.log(`100k grid: p90 frame ${scroll.toFixed(1)} ms scrolling, ${jump.toFixed(1)} ms jumping`);
      // Lenient bounds, as CI renders in software on 2 shared cores (measured here alone: ~22 ms
      // and ~150 ms); a grid that rendered every photo would take seconds per frame.
      assert.ok(scroll < 100, `scrolling stays fluid (p90 ${scroll.toFixed(1)} ms a frame)`);
      assert.ok(jump < 800, `jumping anywhere in 100k photos renders at once (p90 ${jump.toFixed(1)} ms)`);
      assert.ok((await big.locator('.tile').count()) < 400);
      assert.ok(Number(await big.locator('.tile').last().getAttribute('data-index')) > 99_000, 'the end of the library is reachable');
      await big.click('.vgrid');
      await big.keyboard.press('Home');
      await big.waitForSelector('.tile.focused[data-index="0"]');
      await big.keyboard.press('End');
      await big.waitForSelector(`.tile.focused[data-index="${total - 1}"]`);
      await big.keyboard.press('Home');
      await big.keyboard.press('ArrowDown');
      const below = Number(await big.locator('.tile.focused').getAttribute('data-index'));
      assert.ok(below > 1, 'ArrowDown moves a row down');
    } finally {
      await big.close();
    }
  });

  it('while indexing runs, the grid asks for the timeline again only once photos were indexed', async () => {
    // The server's status, as if a pass were running: first with nothing new indexed, then one more.
    let extra = 0;
    const watcher = await context.newPage();
    try {
      await watcher.route('**/api/status', async (route) => {
        const body = (await (await route.fetch()).json()) as { value: { indexed: number; indexing: Record<string, unknown> } };
        body.value.indexed += extra;
        body.value.indexing = { ...body.value.indexing, running: true, progress: { phase: 'indexing', done: 1, total: 99, failed: 0, imagesPerSecond: 1, etaSeconds: 98 } };
        await route.fulfill({ json: body });
      });
      await watcher.goto(served.url);
      await watcher.waitForSelector('[data-testid="library-view"] .tile');
      let timelines = 0;
      let statuses = 0;
      watcher.on('request', (r) => {
        if (r.url().endsWith('/api/timeline')) timelines++;
        if (r.url().endsWith('/api/status')) statuses++;
      });
      await watcher.waitForTimeout(10_000);
      assert.ok(statuses >= 2, `the status is polled while indexing (${statuses} requests in 10 s)`);
      assert.equal(timelines, 0, 'nothing was indexed: the timeline is not asked for again');
      extra = 1;
      await watcher.waitForRequest((r) => r.url().endsWith('/api/timeline'), { timeout: 10_000 });
    } finally {
      await watcher.close();
    }
  });

  it('shows an empty state for an empty library', async () => {
    const empty = await serve(['--db', path.join(tmp, 'empty.db'), '--port', '0'], { cwd: repo });
    try {
      const other = await context.newPage();
      await other.goto(empty.url);
      await other.waitForSelector('[data-testid="library-empty"]');
      await other.waitForTimeout(200);
      await other.screenshot({ path: path.join(SHOTS, '16-empty-library.png') });
      await other.close();
    } finally {
      await empty.stop();
    }
  });
});
