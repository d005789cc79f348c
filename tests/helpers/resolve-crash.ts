/**
 * The resolve crash loop, shared by its test and its bench section: a library of `pairs` pairs of
 * byte-identical small photos (rows entered directly: indexing is not what is tested), resolved
 * (keep one of each pair, trash the other) by a child process that is SIGKILLed at a random
 * moment of the resolution; then the library is opened again and `undo` run, as a user would.
 * After each run every photo must be back at its path with its bytes (sha256), in the index, and
 * nothing may be left in the trash.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { openDatabase } from '../../main/core/store/database.js';
import { Library } from '../../main/core/library.js';
import { trashSandbox } from './trash-sandbox.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'resolve-child.js');
const sha = (algorithm: string, file: string) => crypto.createHash(algorithm).update(fs.readFileSync(file)).digest('hex');

export interface CrashRun {
  /** ms after the child said "resolving" that it was killed (null: it finished first). */
  killedAfterMs: number | null;
  /** Files the child had moved when killed (in the trash, per the disk). */
  inTrashAtKill: number;
  /** What the reopened library said it finished or rolled back. */
  recovered: number;
  restored: number;
  /** Photos missing or with other bytes after undo. */
  lost: string[];
  /** Entries left in the trash folder (files/ and info/) after undo. */
  leftInTrash: number;
  /** Their names (info/… or files/…). */
  leftNames: string[];
  /** Photos without their index row after undo. */
  unindexed: number;
}

export interface CrashLoop {
  pairs: number;
  /** How long one whole resolution took in the child (the baseline run, not killed). */
  fullResolveMs: number;
  runs: CrashRun[];
}

export async function resolveCrashLoop(dir: string, options: { pairs: number; runs: number; random?: () => number }): Promise<CrashLoop> {
  const random = options.random ?? Math.random;
  const photos = path.join(dir, 'photos');
  const { trashDir: trash, env: trashEnv } = trashSandbox(dir);
  const dbPath = path.join(dir, 'library.db');
  const requestsFile = path.join(dir, 'requests.json');
  fs.mkdirSync(photos, { recursive: true });

  // Small real JPEGs, each pair byte-identical, and their rows as an index pass would leave them.
  const requests: { keep: string[]; trash: string[] }[] = [];
  const before = new Map<string, string>();
  const db = openDatabase(dbPath);
  const insert = db.prepare("INSERT INTO files (path, size, mtime_ms, status, content_hash, format, width, height, added_at) VALUES (?, ?, ?, 'indexed', ?, 'jpeg', 16, 16, ?)");
  const pixels = Buffer.alloc(16 * 16 * 3);
  for (let i = 0; i < options.pairs; i++) {
    for (let j = 0; j < pixels.length; j++) pixels[j] = Math.floor(random() * 256);
    const jpeg = await sharp(pixels, { raw: { width: 16, height: 16, channels: 3 } }).jpeg().toBuffer();
    const pair = ['a', 'b'].map((side) => path.join(photos, `p${String(i).padStart(4, '0')}-${side}.jpg`));
    for (const file of pair) {
      fs.writeFileSync(file, jpeg);
      const stat = fs.statSync(file);
      insert.run(file, stat.size, Math.floor(stat.mtimeMs), sha('sha1', file), Date.now());
      before.set(file, sha('sha256', file));
    }
    requests.push({ keep: [pair[0]], trash: [pair[1]] });
  }
  db.close();
  fs.writeFileSync(requestsFile, JSON.stringify(requests));

  const env = { ...process.env, ...trashEnv };
  const inTrash = () => ['files', 'info'].flatMap((sub) => (fs.existsSync(path.join(trash, sub)) ? fs.readdirSync(path.join(trash, sub)).map((n) => `${sub}/${n}`) : []));

  async function once(killAfterMs: number | null): Promise<CrashRun & { ms: number }> {
    const child = spawn(process.execPath, [CHILD, dbPath, requestsFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let started = 0;
    let killedAfterMs: number | null = null;
    let inTrashAtKill = 0;
    child.stderr.on('data', (d) => (output += d));
    child.stdout.on('data', (d) => {
      output += d;
      if (!started && output.includes('resolving')) {
        started = performance.now();
        if (killAfterMs !== null) {
          setTimeout(() => {
            if (child.exitCode !== null) return;
            child.kill('SIGKILL');
            killedAfterMs = killAfterMs;
            inTrashAtKill = fs.existsSync(path.join(trash, 'files')) ? fs.readdirSync(path.join(trash, 'files')).length : 0;
          }, killAfterMs);
        }
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const ms = performance.now() - started;
    if (killedAfterMs === null && code !== 0) throw new Error(`the resolve child failed (${code}):\n${output}`);

    const library = Library.open({ dbPath }); // the next open settles what the kill left
    const recovered = library.interruptedTrash?.length ?? 0; // (?.: the same loop runs against builds without it)
    let restored: number;
    try {
      restored = (await library.undoLastResolve()).restored;
    } finally {
      await library.close();
    }
    const lost = [...before].filter(([file, hash]) => !fs.existsSync(file) || sha('sha256', file) !== hash).map(([file]) => file);
    const check = openDatabase(dbPath);
    const indexed = new Set((check.prepare('SELECT path FROM files').all() as { path: string }[]).map((r) => r.path));
    check.close();
    const left = inTrash();
    return { killedAfterMs, inTrashAtKill, recovered, restored, lost, leftInTrash: left.length, leftNames: left, unindexed: [...before.keys()].filter((f) => !indexed.has(f)).length, ms };
  }

  const baseline = await once(null);
  if (baseline.restored !== options.pairs || baseline.lost.length || baseline.leftInTrash) {
    throw new Error(`the uninterrupted resolve + undo did not round-trip: ${JSON.stringify({ ...baseline, lost: baseline.lost.length })}`);
  }
  const runs: CrashRun[] = [];
  for (let r = 0; r < options.runs; r++) {
    // Anywhere in the resolution (its length varies from run to run on a busy machine).
    const { ms: _ms, ...run } = await once(Math.round(random() * baseline.ms * 0.9));
    runs.push(run);
  }
  return { pairs: options.pairs, fullResolveMs: baseline.ms, runs };
}
