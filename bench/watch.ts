/**
 * Watched folders (issue 3), in one run on the same generated photos:
 * - the one-shot `index` of 1,000 photos (the baseline),
 * - the same 1,000 photos copied into a folder that a running watcher watches: time from the
 *   first copy to the last photo searchable (import throughput while watching),
 * - latency from a photo landing in a watched folder to it being searchable (events, the wait
 *   for the write to settle, decode + embed, commit), over a dozen photos dropped one at a time.
 *
 * The photos are the ferrari-100 set copied with a small change each (a JPEG comment), so every
 * file has its own bytes and nothing is skipped as a known copy, at the originals' ~1024 px.
 * Engine start-up is excluded from both throughput figures (pool started first). Printed only:
 * no figure is asserted. Run alone with `node dist/bench/watch.js`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Library } from '../main/core/library.js';
import { WATCH_DEFAULTS, type WatchEvent } from '../main/core/watch/watcher.js';
import { ferrariPhotos } from '../tests/helpers/datasets.js';

const IMPORT_COUNT = 1000;
const LATENCY_SAMPLES = 12;

/**
 * `count` copies of the ferrari photos, each made unique by a small change: a JPEG comment
 * segment naming the variant, inserted after the start marker (same pixels, so the same decode
 * and embedding cost as the original, but its own bytes and content hash).
 */
function generate(dir: string, count: number, firstVariant: number): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const photos = ferrariPhotos();
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const photo = photos[i % photos.length];
    const variant = firstVariant + Math.floor(i / photos.length);
    const bytes = fs.readFileSync(photo);
    const text = Buffer.from(`likeness bench variant ${variant}`, 'latin1');
    const segment = Buffer.alloc(4);
    segment.writeUInt16BE(0xfffe, 0); // COM
    segment.writeUInt16BE(text.length + 2, 2);
    const file = path.join(dir, `${path.basename(photo, path.extname(photo))}-v${variant}.jpg`);
    fs.writeFileSync(file, Buffer.concat([bytes.subarray(0, 2), segment, text, bytes.subarray(2)]));
    files.push(file);
  }
  return files.sort();
}

const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

export async function benchWatch(): Promise<string[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-bench-watch-'));
  const lines: string[] = [];
  try {
    let t = performance.now();
    const batch = generate(path.join(root, 'import'), IMPORT_COUNT, 0);
    const singles = generate(path.join(root, 'singles'), LATENCY_SAMPLES, 50);
    lines.push(`watch: generated ${batch.length} + ${singles.length} ferrari photos (~1024 px, each made unique) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // 1. Baseline: one-shot index of the same 1,000 files, in two halves run before and after the
    //    watched import, so a machine whose load drifts during the run weighs on both alike.
    const halves = [batch.slice(0, batch.length >> 1), batch.slice(batch.length >> 1)].map((files, i) => {
      const dir = path.join(root, `one-shot-${i}`);
      fs.mkdirSync(dir);
      for (const file of files) fs.linkSync(file, path.join(dir, path.basename(file)));
      return dir;
    });
    const oneShot = { files: 0, seconds: 0, workers: 0 };
    const runOneShot = async (dir: string, i: number) => {
      const library = Library.open({ dbPath: path.join(root, `one-shot-${i}.db`) });
      try {
        oneShot.workers = (await library.pool()).size; // engine start-up is not throughput
        const s = await library.index([dir]);
        oneShot.files += s.indexed;
        oneShot.seconds += s.seconds;
      } finally {
        await library.close();
      }
    };
    await runOneShot(halves[0], 0);

    // 2. The same files copied one by one into a watched folder.
    const watched = path.join(root, 'watched');
    fs.mkdirSync(watched);
    const library = Library.open({ dbPath: path.join(root, 'watched.db') });
    const added = new Map<string, number>();
    let waiters: (() => void)[] = [];
    const onEvent = (event: WatchEvent) => {
      if (event.type === 'added' || event.type === 'failed') {
        added.set(event.path, performance.now());
        for (const w of waiters.splice(0)) w();
      }
    };
    const until = async (done: () => boolean, timeoutMs: number) => {
      const deadline = performance.now() + timeoutMs;
      while (!done()) {
        if (performance.now() > deadline) throw new Error('benchmark timed out');
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    };
    try {
      await library.pool();
      await library.addRoot(watched);
      const watcher = await library.watch({ onEvent });
      const landing = path.join(watched, 'import');
      fs.mkdirSync(landing);
      t = performance.now();
      for (const file of batch) fs.copyFileSync(file, path.join(landing, path.basename(file)));
      const copied = performance.now() - t;
      await until(() => added.size >= batch.length, 15 * 60_000);
      const importMs = Math.max(...added.values()) - t;
      const watchRate = (batch.length * 1000) / importMs;
      await watcher.idle();
      await library.stopWatching();
      await runOneShot(halves[1], 1);
      const oneShotRate = oneShot.files / oneShot.seconds;
      lines.push(`watch: one-shot index   ${oneShot.files} files in ${oneShot.seconds.toFixed(1)} s = ${oneShotRate.toFixed(1)} img/s (${oneShot.workers} workers; two halves, before and after the import below)`);
      lines.push(
        `watch: import while watching ${batch.length} files copied in (copy took ${(copied / 1000).toFixed(1)} s), all searchable after ` +
          `${(importMs / 1000).toFixed(1)} s = ${watchRate.toFixed(1)} img/s   baseline one-shot ${oneShotRate.toFixed(1)} img/s   ratio ×${(watchRate / oneShotRate).toFixed(2)}`,
      );
      const relaunched = await library.watch({ onEvent });

      // 3. Latency: one photo at a time lands in the watched folder; time until searchable.
      const latencies: number[] = [];
      for (const file of singles) {
        const target = path.join(watched, path.basename(file));
        const start = performance.now();
        fs.copyFileSync(file, target);
        await until(() => added.has(target), 30_000);
        const [answer] = await library.similar([target], 1); // searchable by its stored vector
        if (answer.results.length !== 1) throw new Error('not searchable');
        latencies.push(added.get(target)! - start);
        await relaunched.idle();
      }
      latencies.sort((a, b) => a - b);
      lines.push(
        `watch: latency file landed -> searchable (${latencies.length} photos, one at a time): median ${pct(latencies, 0.5).toFixed(0)} ms, ` +
          `p90 ${pct(latencies, 0.9).toFixed(0)} ms, min ${latencies[0].toFixed(0)} ms, max ${latencies[latencies.length - 1].toFixed(0)} ms ` +
          `(includes ${WATCH_DEFAULTS.debounceMs} ms of event gathering and a ${WATCH_DEFAULTS.settleMs} ms settle for a complete JPEG)`,
      );
    } finally {
      waiters = [];
      await library.close();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return lines;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  benchWatch().then(
    (lines) => {
      for (const line of lines) console.log(line);
      console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
