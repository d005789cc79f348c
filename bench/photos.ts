/**
 * `npm run bench -- photos` (issue 15): the photos people really have, generated once from the
 * shared datasets and cached outside the repository (LIKENESS_BENCH_PHOTOS, default
 * ~/.cache/likeness-bench/photos-v1): 12 and 24 MP camera JPEGs with EXIF (a quarter of them
 * stored sideways with EXIF orientation 6), 12 MP phone-style HEIC with the embedded thumbnail
 * phones write (heif-enc --thumb 320, as an iPhone's 320×240) and without, 1–3 MP PNG
 * screenshots, and ferrari-100's 1024 px JPEGs.
 *
 * Each kind is measured decode-only and as a whole `likeness index` (process start included,
 * LIKENESS_ANNOTATE=off), against a baseline checkout measured in the same run
 * (LIKENESS_BENCH_BASELINE: a built checkout of the code before, e.g. `git worktree add` of main).
 * Then where one photo's milliseconds go, and the ONNX Runtime options.
 *
 * heif-enc takes seconds per 12 MP photo, so a few HEICs are encoded and each is written again
 * under several names with a different trailing 'free' box (skipped by every reader: same pixels,
 * same decode work, a different content hash so the library decodes each one).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { DATASETS, ferrariPhotos, FERRARI, REPO_ROOT } from '../tests/helpers/datasets.js';

export interface Kind {
  name: string;
  folder: string;
}

const CACHE = process.env.LIKENESS_BENCH_PHOTOS ?? path.join(os.homedir(), '.cache', 'likeness-bench', 'photos-v1');

/** Real photos to scale up: ferrari-100 then caltech101-dev, sorted. */
function sources(count: number): string[] {
  const caltech = path.join(DATASETS, 'caltech101-dev');
  const more = fs.existsSync(caltech)
    ? fs.readdirSync(caltech).sort().flatMap((c) => {
        const dir = path.join(caltech, c);
        return fs.statSync(dir).isDirectory() ? fs.readdirSync(dir).sort().slice(0, 2).map((n) => path.join(dir, n)) : [];
      })
    : [];
  return [...ferrariPhotos(), ...more].slice(0, count);
}

const CAMERAS = [
  { Make: 'Apple', Model: 'iPhone 13 Pro' },
  { Make: 'Canon', Model: 'Canon EOS R6' },
  { Make: 'SONY', Model: 'ILCE-7M3' },
];

function exifFor(i: number, rotated: boolean) {
  const day = String(1 + (i % 28)).padStart(2, '0');
  return {
    IFD0: { ...CAMERAS[i % CAMERAS.length], Orientation: rotated ? '6' : '1' },
    IFD2: { DateTimeOriginal: `2023:05:${day} 10:${String(i % 60).padStart(2, '0')}:00` },
  };
}

/** A camera JPEG of width×height; rotated ones store the pixels sideways and say so in EXIF. */
async function cameraJpeg(source: string, i: number, width: number, height: number, file: string): Promise<void> {
  const rotated = i % 4 === 1;
  let image = sharp(source).resize(width, height, { fit: 'cover' });
  if (rotated) image = sharp(await image.raw().toBuffer(), { raw: { width, height, channels: 3 } }).rotate(-90);
  await image.withExif(exifFor(i, rotated)).jpeg({ quality: 90 }).toFile(file);
}

async function generate(): Promise<Kind[]> {
  const kinds: Kind[] = [];
  const make = async (name: string, count: number, one: (i: number, dir: string) => Promise<void>) => {
    const dir = path.join(CACHE, name);
    const done = path.join(dir, '.complete');
    if (!fs.existsSync(done)) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      for (let i = 0; i < count; i++) await one(i, dir);
      fs.writeFileSync(done, '');
    }
    kinds.push({ name, folder: dir });
  };
  const photos = sources(200);
  kinds.push({ name: 'jpeg-1024 (ferrari-100)', folder: FERRARI });
  await make('jpeg-12mp', 100, (i, dir) => cameraJpeg(photos[i], i, 4032, 3024, path.join(dir, `IMG_${1000 + i}.jpg`)));
  await make('jpeg-24mp', 40, (i, dir) => cameraJpeg(photos[i + 100], i, 6000, 4000, path.join(dir, `DSC_${1000 + i}.jpg`)));
  const heic = (thumb: boolean) => async (i: number, dir: string) => {
    const encodes = 6;
    const variants = thumb ? 10 : 4;
    if (i >= encodes) return;
    const jpeg = path.join(dir, `src-${i}.jpg`);
    await cameraJpeg(photos[(thumb ? 20 : 40) + i], i * 4, 4032, 3024, jpeg); // EXIF travels into the HEIC
    const first = path.join(dir, `IMG_${2000 + i * variants}.HEIC`);
    execFileSync('nice', ['-n', '10', 'heif-enc', '-q', '50', '-p', 'preset=ultrafast', ...(thumb ? ['-t', '320'] : []), '-o', first, jpeg], { stdio: 'ignore' });
    fs.rmSync(jpeg);
    const bytes = fs.readFileSync(first);
    for (let v = 1; v < variants; v++) {
      const payload = Buffer.from(`likeness-bench variant ${i}-${v}`);
      const free = Buffer.alloc(8);
      free.writeUInt32BE(8 + payload.length);
      free.write('free', 4, 'latin1');
      fs.writeFileSync(path.join(dir, `IMG_${2000 + i * variants + v}.HEIC`), Buffer.concat([bytes, free, payload]));
    }
  };
  await make('heic-12mp-thumb', 6, heic(true));
  await make('heic-12mp-nothumb', 6, heic(false));
  const SCREENS = [
    [1440, 900],
    [1920, 1080],
    [2560, 1440],
  ];
  await make('png-screenshot', 30, async (i, dir) => {
    const [width, height] = SCREENS[i % SCREENS.length];
    // A window with a photo in it on a flat desktop, with a flat title bar: what screenshots look like.
    const photo = await sharp(photos[150 + (i % 50)]).resize(Math.round(width * 0.6), Math.round(height * 0.6), { fit: 'inside' }).toBuffer();
    const bar = await sharp({ create: { width, height: 40, channels: 3, background: '#2b2b30' } }).png().toBuffer();
    await sharp({ create: { width, height, channels: 3, background: i % 2 ? '#f4f4f6' : '#1e1f24' } })
      .composite([
        { input: bar, top: 0, left: 0 },
        { input: photo, top: 80, left: 60 },
      ])
      .png()
      .toFile(path.join(dir, `Screenshot ${i}.png`));
  });
  return kinds;
}

function files(folder: string): string[] {
  return fs.readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((n) => /\.(jpe?g|heic|png)$/i.test(n))
    .sort()
    .map((n) => path.join(folder, n));
}

interface Checkout {
  label: string;
  root: string;
}

/** Decode-only, serially in this thread: the checkout's own decodeFile. */
async function decodeRate(checkout: Checkout, photos: string[]): Promise<number> {
  const { decodeFile } = (await import(path.join(checkout.root, 'dist', 'main', 'core', 'imaging', 'decode.js'))) as typeof import('../main/core/imaging/decode.js');
  await decodeFile(photos[0], { cnnSize: 224, thumbnail: true }); // warm-up (WebAssembly start)
  const started = performance.now();
  for (const file of photos) await decodeFile(file, { cnnSize: 224, thumbnail: true });
  return (photos.length * 1000) / (performance.now() - started);
}

/** `likeness index` of the checkout, fresh library: images per second of wall clock, process start included. */
function indexRate(checkout: Checkout, folder: string, annotate: boolean): { rate: number; indexed: number } | string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-bench-photos-'));
  try {
    const started = performance.now();
    const run = spawnSync(process.execPath, [path.join(checkout.root, 'bin', 'likeness.js'), 'index', folder, '--db', path.join(dir, 'bench.db'), '--engine', 'onnx'], {
      encoding: 'utf8',
      env: { ...process.env, LIKENESS_ANNOTATE: annotate ? 'on' : 'off' },
    });
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 0) return `failed: ${run.stderr.trim().split('\n').pop()}`;
    const said = /Indexed (\d+) new.* (\d+) failed/.exec(run.stdout);
    if (!said) return `unexpected output: ${run.stdout.trim().split('\n').pop()}`;
    const [indexed, failed] = [Number(said[1]), Number(said[2])];
    if (failed) return `${failed} failed`;
    return { rate: indexed / seconds, indexed };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (x: number) => `${x.toFixed(1)} img/s`;

export async function benchPhotos(): Promise<string[]> {
  const kinds = await generate();
  const ours: Checkout = { label: 'this code', root: REPO_ROOT };
  const baselineRoot = process.env.LIKENESS_BENCH_BASELINE;
  const baseline: Checkout | null = baselineRoot ? { label: 'baseline', root: path.resolve(baselineRoot) } : null;
  const lines = [`photos cached in ${CACHE}; ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}${baseline ? `; baseline ${baseline.root}` : '; no LIKENESS_BENCH_BASELINE: no baseline'}`];
  const only = process.env.LIKENESS_BENCH_KINDS?.split(',');
  for (const kind of kinds) {
    if (only && !only.some((o) => kind.name.startsWith(o))) continue;
    const photos = files(kind.folder);
    const sample = photos.slice(0, 8);
    const a = await decodeRate(ours, sample);
    const b = baseline ? await decodeRate(baseline, sample) : NaN;
    lines.push(`decode-only ${kind.name} (${sample.length} photos, 1 thread):  ${fmt(a)}   baseline ${fmt(b)}   ratio ×${(a / b).toFixed(2)}`);
    const x = indexRate(ours, kind.folder, false);
    const y = baseline ? indexRate(baseline, kind.folder, false) : 'not run';
    const show = (r: typeof x) => (typeof r === 'string' ? r : fmt(r.rate));
    const ratio = typeof x !== 'string' && typeof y !== 'string' ? `ratio ×${(x.rate / y.rate).toFixed(2)}` : '';
    lines.push(`likeness index ${kind.name} (${photos.length} photos, annotation off, process start included):  ${show(x)}   baseline ${show(y)}   ${ratio}`);
  }
  if (!only || only.includes('annotate')) {
    const kind = kinds.find((k) => k.name === 'jpeg-12mp')!;
    const x = indexRate(ours, kind.folder, true);
    const y = baseline ? indexRate(baseline, kind.folder, true) : 'not run';
    const show = (r: typeof x) => (typeof r === 'string' ? r : fmt(r.rate));
    const ratio = typeof x !== 'string' && typeof y !== 'string' ? `ratio ×${(x.rate / y.rate).toFixed(2)}` : '';
    lines.push(`likeness index ${kind.name} annotation ON:  ${show(x)}   baseline ${show(y)}   ${ratio}`);
  }
  return lines;
}

/** Content hash of a file, for the stage breakdown (what indexing computes first). */
export function sha1(bytes: Buffer): string {
  return crypto.createHash('sha1').update(bytes).digest('hex');
}

/**
 * Where one photo's milliseconds go, per kind (serially, one thread): reading the file, its
 * content hash, the decode (working copy, thumbnail, hashes, EXIF), and the CNN (photo + mirror)
 * in batches of 4 as the workers run it; then the CNN at other ONNX Runtime settings.
 */
export async function benchStages(): Promise<string[]> {
  const { decodeBuffer } = await import('../main/core/imaging/decode.js');
  const { OnnxEngine } = await import('../main/core/embedding/onnx/onnx-engine.js');
  const { embedWithFlip } = await import('../main/core/embedding/flip-average.js');
  const kinds = await generate();
  const lines: string[] = [];
  const engine = await OnnxEngine.create({ threads: 1, log: () => {} });
  const inputs: Uint8Array[] = [];
  for (const kind of kinds) {
    const photos = files(kind.folder).slice(0, 8);
    const t = { read: 0, hash: 0, decode: 0, cnn: 0 };
    for (const file of photos) {
      let s = performance.now();
      const bytes = fs.readFileSync(file);
      t.read += performance.now() - s;
      s = performance.now();
      sha1(bytes);
      t.hash += performance.now() - s;
      s = performance.now();
      const decoded = await decodeBuffer(bytes, { cnnSize: 224, thumbnail: true });
      t.decode += performance.now() - s;
      inputs.push(decoded.cnnInput);
    }
    const s = performance.now();
    for (let i = 0; i < photos.length; i += 4) await embedWithFlip(engine, inputs.slice(-photos.length).slice(i, i + 4));
    t.cnn = performance.now() - s;
    const per = (x: number) => (x / photos.length).toFixed(1);
    lines.push(`ms per photo, ${kind.name}:  read ${per(t.read)}   sha1 ${per(t.hash)}   decode+thumbnail+hashes+EXIF ${per(t.decode)} (the hash included once more inside)   CNN photo+mirror ${per(t.cnn)}`);
  }
  await engine.dispose();
  const batch = inputs.slice(0, 16);
  for (const threads of [1, 2]) {
    const e = await OnnxEngine.create({ threads, log: () => {} });
    for (const size of [1, 4, 8]) {
      const s = performance.now();
      for (let i = 0; i < batch.length; i += size) await e.embed(batch.slice(i, i + size));
      lines.push(`ONNX Runtime ${threads} intra-op thread${threads > 1 ? 's' : ''}, batch ${size}: ${((performance.now() - s) / batch.length).toFixed(1)} ms/image`);
    }
    await e.dispose();
  }
  return lines;
}
