/**
 * End to end, on real photos with automatic annotation: a few caltech101-dev photos under neutral
 * names (IMG_0001.jpg…) are indexed, served and driven in Chromium.
 * - Things: before annotation, the view says it is still looking (with progress), and follows a
 *   background annotation (started by a rescan) until it is done; then a card
 *   per automatic tag (cover and count, as `likeness tag --json` lists them), which searches for it.
 * - The search box suggests tags as one types (with counts), navigable with the keyboard, without
 *   a request per keystroke.
 * - Settings → Check library runs the full check and shows a plain result.
 *
 * Slow (annotation runs its detector and OCR on each photo): kept to 8 photos. Needs
 * /usr/bin/chromium and ../shared/datasets/caltech101-dev; skipped with a message otherwise.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { likeness, serve, type Served } from './harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const DATASET = path.resolve(repo, '..', 'shared', 'datasets', 'caltech101-dev');
const SHOTS = path.join(repo, 'test-artifacts', 'screenshots');
const missing = !fs.existsSync(CHROMIUM) ? `${CHROMIUM} is not installed` : !fs.existsSync(DATASET) ? `${DATASET} is missing` : null;
const PICK: [string, number][] = [
  ['airplanes', 3],
  ['Motorbikes', 3],
  ['laptop', 2],
];

let tmp: string;
let fixture: string;
let db: string;
let served: Served | null = null;
let context: BrowserContext;
let page: Page;
/** What the library's own CLI says each photo shows (automatic tags, from 0.3). */
const tagged = new Map<string, string[]>();

async function shot(name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function open(env: Record<string, string>): Promise<void> {
  await served?.stop();
  served = await serve(['--db', db, '--port', '0', '--no-watch'], { cwd: repo, env });
  await page.goto(served.url);
}

describe('things and tag suggestions in Chromium', { skip: missing ?? false, timeout: 600_000 }, () => {
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-e2e-things-'));
    fixture = path.join(tmp, 'library');
    fs.mkdirSync(fixture);
    let n = 0;
    for (const [category, count] of PICK) {
      const files = fs.readdirSync(path.join(DATASET, category)).filter((f) => f.endsWith('.jpg')).sort();
      for (const file of files.slice(0, count)) fs.copyFileSync(path.join(DATASET, category, file), path.join(fixture, `IMG_${String(++n).padStart(4, '0')}.jpg`));
    }
    db = path.join(tmp, 'lib.db');
    await likeness(['index', fixture, '--db', db], { cwd: repo, env: { LIKENESS_ANNOTATE: 'off' } });
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 820 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => console.error('page error:', error.message));
  });

  after(async () => {
    await context?.close();
    await served?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('says that things are still being looked for while the photos are not annotated', async () => {
    await open({ LIKENESS_ANNOTATE: 'on' });
    await page.click('[data-testid="nav-things"]');
    await page.waitForSelector('[data-testid="things-empty"]');
    assert.match(String(await page.textContent('[data-testid="things-empty"] h2')), /Finding things in your photos/);
    assert.match(String(await page.textContent('[data-testid="things-progress"]')), /0 of 8/);
    await shot('things-01-annotating');
    // A rescan annotates in the background; the view follows without a reload.
    await page.evaluate(() => fetch('/api/startIndexing', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    await page.waitForSelector('[data-testid="thing-card"]', { timeout: 240_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="things-progress"]'), undefined, { timeout: 240_000 });
  });

  it('shows a card per automatic tag, with a cover and the count, that searches for its tag', async () => {
    await served?.stop();
    served = null;
    const counts = new Map<string, number>();
    for (const name of fs.readdirSync(fixture)) {
      const answer = JSON.parse(await likeness(['tag', path.join(fixture, name), '--db', db, '--json'], { cwd: repo })) as { auto: { tag: string }[] };
      tagged.set(name, answer.auto.map((a) => a.tag));
      for (const a of answer.auto) counts.set(a.tag, (counts.get(a.tag) ?? 0) + 1);
    }
    assert.ok(counts.size > 0, 'the detector found nothing in 8 photos of airplanes, motorbikes and laptops');

    await open({ LIKENESS_ANNOTATE: 'on' });
    await page.click('[data-testid="nav-things"]');
    await page.waitForSelector('[data-testid="thing-card"]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="thing-card"] img')].every((i: any) => i.complete && i.naturalWidth > 0));
    const cards = await page.$$eval('[data-testid="thing-card"]', (els) =>
      els.map((e: any) => ({ tag: e.querySelector('.cluster-title').textContent, count: e.querySelector('.cluster-count').textContent })),
    );
    const expected = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    assert.deepEqual(
      cards,
      expected.map(([tag, count]) => ({ tag, count: `${count} photo${count === 1 ? '' : 's'}` })),
    );
    assert.equal(await page.locator('[data-testid="things-progress"]').count(), 0, 'annotation is done: no progress shown');
    await shot('things-02-cards');

    const [top] = expected[0];
    await page.click(`[data-testid="thing-card"][aria-label^="${top},"]`);
    await page.waitForSelector('[data-testid="search-view"] .tile');
    assert.equal(await page.inputValue('[data-testid="search-input"]'), top);
    const want = [...tagged].filter(([, tags]) => tags.includes(top)).length;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="search-view"] .tile').length >= n, want);
  });

  it('suggests tags as one types, with counts, by keyboard, without a request per keystroke', async () => {
    const [top, count] = [...tagged.values()].flat().reduce((best, tag, _i, all) => {
      const n = all.filter((t) => t === tag).length;
      return n > best[1] || (n === best[1] && tag < best[0]) ? [tag, n] : best;
    }, ['', 0] as [string, number]);
    await page.evaluate(() => (document.location.hash = '#/search'));
    await page.waitForSelector('[data-testid="search-input"]');
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/suggestTags')) asked.push(r.postData() ?? '');
    });
    const typed = top.split(' ')[0];
    await page.fill('[data-testid="search-input"]', '');
    await page.locator('[data-testid="search-input"]').pressSequentially(typed, { delay: 15 });
    const option = page.locator('[data-testid="search-suggestion"]', { hasText: top });
    await option.waitFor();
    assert.match(String(await option.textContent()), new RegExp(`${count}$`));
    await shot('things-03-suggestions');
    assert.ok(asked.length <= 2, `${asked.length} suggestion requests for ${typed.length} keystrokes: ${asked.join(' ')}`);

    await page.press('[data-testid="search-input"]', 'Escape');
    assert.equal(await page.locator('[data-testid="search-suggestions"]').count(), 0, 'Escape closes the suggestions');
    assert.equal(await page.inputValue('[data-testid="search-input"]'), typed, 'Escape keeps the text');

    await page.press('[data-testid="search-input"]', 'ArrowDown');
    await page.waitForSelector('[data-testid="search-suggestion"][aria-selected="true"]');
    const chosen = String(await page.textContent('[data-testid="search-suggestion"][aria-selected="true"] .suggestion-tag'));
    await page.press('[data-testid="search-input"]', 'Enter');
    await page.waitForFunction((t) => (document.querySelector('[data-testid="search-input"]') as any)?.value === t, chosen);
    await page.waitForSelector('[data-testid="search-view"] .tile');
  });

  it('checks the library from Settings and says it is sound', async () => {
    await page.click('[data-testid="nav-settings"]');
    await page.click('[data-testid="database-check-start"]');
    await page.waitForSelector('[data-testid="database-check-result"]');
    assert.match(String(await page.textContent('[data-testid="database-check-result"]')), /The library is sound: structure checked, 8 fingerprints tested/);
    await page.locator('[data-testid="database-check"]').scrollIntoViewIfNeeded();
    await shot('things-04-check-library');
  });
});
