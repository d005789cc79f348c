/**
 * Duplicates on real photos through the CLI contract: edited copies of ferrari-100 photos (resized,
 * JPEG quality 30, 6 % border crop, +15 % brightness, WebP, and a byte-identical copy) hidden among
 * distinct photos of the same cars. Checks every tier, the keeper rules, pairwise precision and
 * recall, remembered "not duplicates", and resolve → trash (the home trash, sandboxed) → undo.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ferrariPhotos, tempDir } from '../helpers/datasets.js';
import { runCli } from '../helpers/cli.js';
import { trashSandbox } from '../helpers/trash-sandbox.js';
import { pairwiseScores, type PairwiseScores } from '../../main/core/eval/metrics.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';

const root = tempDir('likeness-dupes-it-');
const photos = path.join(root, 'photos');
const db = path.join(root, 'lib.db');
const { trashDir, env: trashEnv } = trashSandbox(root);
const env = { ...process.env, ...trashEnv };

const likeness = (args: string[]) => runCli(args, { env });

interface Group {
  keeper: string;
  paths: string[];
  tier: string;
  reason: string;
}

async function dupes(...extra: string[]): Promise<Group[]> {
  const r = await likeness(['dupes', '--db', db, '--json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Group[];
}

/** Which original a file was made from (its base name). */
const origin = (file: string) => path.basename(file).replace(/\.\w+$/, '');
const sha1 = (file: string) => crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');

/**
 * Pairwise precision and recall of the groups as the user reads them: byte-identical copies are
 * an exact group of their own, joined to the near group of the same picture through the file both
 * keep, so groups that share a file are scored as one.
 */
function pairwise(groups: Group[], files: string[]): PairwiseScores {
  const linked: Set<string>[] = [];
  for (const g of groups) {
    const touching = linked.filter((set) => g.paths.some((p) => set.has(p)));
    const merged = new Set([...g.paths, ...touching.flatMap((set) => [...set])]);
    for (const set of touching) linked.splice(linked.indexOf(set), 1);
    linked.push(merged);
  }
  return pairwiseScores(linked.map((set) => [...set]), files, origin);
}

async function crop(file: string, fraction: number) {
  const m = await sharp(file).metadata();
  const left = Math.round(m.width! * fraction);
  const top = Math.round(m.height! * fraction);
  return sharp(file).extract({ left, top, width: m.width! - 2 * left, height: m.height! - 2 * top });
}

describe('likeness dupes on edited copies of real photos', () => {
  const all = ferrariPhotos();
  const edited = all.filter((_, i) => i % 5 === 0); // 20 photos, one in five, every colour
  const distinct = all.filter((_, i) => i % 5 === 1); // 20 more, left alone
  let files: string[] = [];

  before(async () => {
    const edits: Record<string, (f: string) => Promise<Buffer>> = {
      'resized/': (f) => sharp(f).resize({ width: 512 }).jpeg({ quality: 90 }).toBuffer(),
      'q30/': (f) => sharp(f).jpeg({ quality: 30 }).toBuffer(),
      'crop6/': async (f) => (await crop(f, 0.06)).jpeg({ quality: 90 }).toBuffer(),
      'bright15/': (f) => sharp(f).modulate({ brightness: 1.15 }).jpeg({ quality: 90 }).toBuffer(),
      'webp/': (f) => sharp(f).webp().toBuffer(),
    };
    for (const f of [...edited, ...distinct]) {
      const target = path.join(photos, 'originals', path.basename(f));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(f, target);
      files.push(target);
    }
    for (const f of edited) {
      for (const [dir, make] of Object.entries(edits)) {
        const ext = dir === 'webp/' ? '.webp' : '.jpg';
        const target = path.join(photos, dir, path.basename(f, '.jpg') + ext);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, await make(f));
        files.push(target);
      }
    }
    // Byte-identical copies of three originals.
    for (const f of edited.slice(0, 3)) {
      const target = path.join(photos, 'backup', path.basename(f));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(f, target);
      files.push(target);
    }
    files = files.sort();
    const r = await likeness(['index', photos, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
  });

  test('default dupes --json: the contract shape, exact and near tiers, high precision and recall', async () => {
    const groups = await dupes();
    for (const g of groups) {
      assert.ok(['keeper', 'paths', 'tier', 'reason'].every((k) => k in g));
      assert.ok(path.isAbsolute(g.keeper) && g.paths.every((p) => path.isAbsolute(p)));
      assert.ok(g.paths.includes(g.keeper), 'the keeper is one of the paths');
      assert.equal(new Set(g.paths).size, g.paths.length);
      assert.ok(['exact', 'near'].includes(g.tier), 'similar shots only when asked for');
      assert.equal(typeof g.reason, 'string');
    }
    const score = pairwise(groups, files);
    console.log(`ferrari edits: ${groups.length} groups, pairwise precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)} (tp ${score.tp}, fp ${score.fp})`);
    assert.ok(score.precision >= 0.98, `precision ${score.precision}`);
    assert.ok(score.recall >= 0.95, `recall ${score.recall}`);
    assert.ok(groups.some((g) => g.tier === 'near'));
    // Every edit type is caught with its original.
    // Byte-identical backups are exact groups of their own, never inside a near group.
    for (const g of groups) if (g.tier !== 'exact') assert.equal(new Set(g.paths.map(sha1)).size, g.paths.length, `no two identical files in a ${g.tier} group`);
    assert.equal(groups.filter((g) => g.tier === 'exact').length, 3, 'each backup is an exact group');
    for (const dir of ['resized', 'q30', 'crop6', 'bright15', 'webp', 'backup']) {
      const caught = groups.filter((g) => g.paths.some((p) => p.includes(`${path.sep}${dir}${path.sep}`) && g.paths.includes(path.join(photos, 'originals', path.basename(p).replace(/\.webp$/, '.jpg')))));
      assert.ok(caught.length >= (dir === 'backup' ? 3 : 19), `${dir}: ${caught.length}`);
    }
    const exactOnly = await dupes('--tier', 'exact');
    assert.equal(exactOnly.length, 3);
    for (const g of exactOnly) {
      assert.equal(g.tier, 'exact');
      assert.equal(g.paths.length, 2);
      assert.equal(sha1(g.paths[0]), sha1(g.paths[1]));
    }
  });

  test('keepers: full resolution, original format, and a reason', async () => {
    for (const g of await dupes()) {
      const keeper = g.keeper;
      assert.ok(!/[/\\](resized|crop6|webp)[/\\]/.test(keeper), `a lower-resolution or derived copy was kept: ${keeper}`);
      assert.match(g.reason, /keeper: (the largest picture|the original: |same size|identical as far as Likeness can tell; the oldest)/);
    }
  });

  test('--tier similar adds similar shots and keeps every near group whole', async () => {
    const near = await dupes();
    const similar = await dupes('--tier', 'similar');
    for (const g of near) {
      assert.ok(similar.some((s) => g.paths.every((p) => s.paths.includes(p))), `near group of ${g.keeper} is kept together`);
    }
    assert.ok(similar.every((g) => ['exact', 'near', 'similar'].includes(g.tier)));
  });

  test('"not duplicates" is remembered and the pair never shown together again', async () => {
    const before = await dupes();
    // The keeper and one copy: the copy then stays out of every group (an edit dismissed against
    // another edit could rightly pair with the original once the others are resolved, below).
    const group = before.find((g) => g.tier === 'near' && g.paths.length >= 3)!;
    const a = group.keeper;
    const b = group.paths.find((p) => p !== group.keeper)!;
    const r = await likeness(['dupes', 'not', a, b, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    for (const tier of ['near', 'similar']) {
      for (const g of await dupes('--tier', tier)) assert.ok(!(g.paths.includes(a) && g.paths.includes(b)), `${tier}: the pair was shown again`);
    }
  });

  test('resolve sends the extra copies to the trash, undo brings them back', async () => {
    const before = await dupes();
    const hashes = new Map(files.map((f) => [f, sha1(f)]));
    const r = await likeness(['dupes', 'resolve', '--db', db, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { trashed: number; paths: string[]; destination: string; canUndo: boolean };
    const expected = before.flatMap((g) => g.paths.filter((p) => p !== g.keeper));
    assert.deepEqual([...result.paths].sort(), [...expected].sort());
    assert.equal(result.destination, 'the trash');
    assert.ok(result.canUndo);
    for (const p of expected) assert.ok(!fs.existsSync(p), `${p} left its folder`);
    for (const g of before) assert.ok(fs.existsSync(g.keeper), 'keepers stay');
    assert.equal(fs.readdirSync(path.join(trashDir, 'files')).length, expected.length, 'all in the trash, none deleted');
    assert.deepEqual(await dupes(), [], 'nothing left to resolve');

    const u = await likeness(['dupes', 'undo', '--db', db, '--json']);
    assert.equal(u.code, 0, u.stderr);
    const undone = JSON.parse(u.stdout) as { restored: number; paths: string[] };
    assert.equal(undone.restored, expected.length);
    for (const p of expected) assert.equal(sha1(p), hashes.get(p), `${p} is back, byte for byte`);
    assert.equal(fs.readdirSync(path.join(trashDir, 'files')).length, 0);
    const again = await dupes();
    assert.deepEqual(
      again.map((g) => [...g.paths].sort()).sort(),
      before.map((g) => [...g.paths].sort()).sort(),
      'the library is as it was',
    );
    const nothing = await likeness(['dupes', 'undo', '--db', db]);
    assert.match(nothing.stdout, /Nothing to undo/);
  });
});
