/**
 * End to end, People (issue 18): `likeness index` photos of three people (lfw-people-dev, under
 * neutral names) with faces on, `likeness serve` them, and in Chromium name a person inline on
 * the People view, merge two people by selection, and find the named person's photos by typing
 * their name in Search. Screenshots go to test-artifacts/screenshots/.
 *
 * Needs /usr/bin/chromium and ../shared/datasets/lfw-people-dev; skipped when either is missing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { PeopleAnswer } from '../../preload/contract.js';
import { likeness, serve, type Served } from './harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const LFW = path.resolve(repo, '..', 'shared', 'datasets', 'lfw-people-dev');
const SHOTS = path.join(repo, 'test-artifacts', 'screenshots');
const missing = !fs.existsSync(CHROMIUM) ? `${CHROMIUM} is not installed` : !fs.existsSync(LFW) ? `${LFW} is missing` : null;
const PEOPLE = ['Al_Gore', 'Amelie_Mauresmo', 'Alvaro_Uribe'];
const ENV = { LIKENESS_ANNOTATE: 'off', LIKENESS_FACES: 'on' };

describe('People view in Chromium', { skip: missing ?? false, timeout: 600_000 }, () => {
  let tmp: string;
  let served: Served;
  let context: BrowserContext;
  let page: Page;
  const who = new Map<string, string>();

  const people = () =>
    page.evaluate(async () => {
      const r = await fetch('/api/people', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return ((await r.json()) as { value: PeopleAnswer }).value;
    });

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-e2e-people-'));
    const photos = path.join(tmp, 'photos');
    fs.mkdirSync(photos);
    fs.mkdirSync(SHOTS, { recursive: true });
    let n = 0;
    for (const person of PEOPLE) {
      for (const name of fs.readdirSync(path.join(LFW, person)).sort().slice(0, 3)) {
        const target = `IMG_${String(++n).padStart(4, '0')}.jpg`;
        fs.copyFileSync(path.join(LFW, person, name), path.join(photos, target));
        who.set(target, person);
      }
    }
    const db = path.join(tmp, 'lib.db');
    await likeness(['index', photos, '--db', db], { cwd: repo, env: ENV });
    served = await serve(['--db', db, '--port', '0'], { cwd: repo, env: ENV });
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1360, height: 860 },
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

  it('lists the people found, names one inline, and finds them by name in Search', async () => {
    await page.click('[data-testid="nav-people"]');
    await page.waitForSelector('[data-testid="person-card"]', { timeout: 30_000 });
    const before = await people();
    assert.ok(before.people.length >= 2, `${before.people.length} people`);
    await page.screenshot({ path: path.join(SHOTS, 'people-01-grid.png') });

    // The biggest person's card: type a name, Enter.
    const first = page.locator('[data-testid="person-card"]').first();
    const id = Number(await first.getAttribute('data-person'));
    await first.locator('[data-testid="person-name"]').fill('Grandma Rose');
    await first.locator('[data-testid="person-name"]').press('Enter');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="person-name"]')].some((i: any) => i.value === 'Grandma Rose'));
    const named = (await people()).people.find((p) => p.id === id)!;
    assert.equal(named.name, 'Grandma Rose');

    await page.click('[data-testid="nav-search"]');
    await page.fill('[data-testid="search-input"]', 'grandma');
    await page.waitForFunction((n: number) => document.querySelectorAll('[data-testid="search-view"] .tile').length === n, named.count, { timeout: 30_000 });
    await page.screenshot({ path: path.join(SHOTS, 'people-02-search.png') });
  });

  it('merges two people selected on the People view', async () => {
    await page.click('[data-testid="nav-people"]');
    await page.waitForSelector('[data-testid="person-card"]');
    const before = (await people()).people;
    const cards = page.locator('[data-testid="person-card"]');
    await cards.nth(0).locator('[data-testid="person-select"]').check();
    await cards.nth(1).locator('[data-testid="person-select"]').check();
    await page.click('[data-testid="people-merge"]');
    await page.waitForFunction((n: number) => document.querySelectorAll('[data-testid="person-card"]').length === n, before.length - 1, { timeout: 30_000 });
    const after = (await people()).people;
    const merged = after.find((p) => p.id === before[0].id)!;
    assert.equal(merged.count, before[0].count + before[1].count);
    assert.equal(merged.name, 'Grandma Rose', 'the named person keeps the name');
    await page.screenshot({ path: path.join(SHOTS, 'people-03-merged.png') });

    // Keyboard: Enter on a focused card opens the person's photos.
    await page.locator('[data-testid="person-card"]').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="person-view"] .tile', { timeout: 30_000 });
    assert.equal(await page.locator('[data-testid="person-view"] .tile').count(), merged.count);

    // A photo of theirs shows its face box, labelled with the name.
    await page.dblclick('[data-testid="person-view"] .tile[data-index="0"]');
    await page.waitForSelector('[data-testid="photo-detail"] [data-testid="face-box"]', { timeout: 30_000 });
    assert.ok((await page.textContent('[data-testid="photo-detail"] [data-testid="face-boxes"]'))?.includes('Grandma Rose'));
    await page.screenshot({ path: path.join(SHOTS, 'people-04-detail-faces.png') });
  });
});
