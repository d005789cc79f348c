/**
 * The photos people really have (issue 15): 12 MP JPEGs (some turned by EXIF orientation),
 * phone-style HEIC with and without the embedded thumbnail, 1–3 MP PNG screenshots — generated
 * once from ferrari-100 into a cache outside the repository, then decoded alone and indexed by
 * `likeness index` as a user runs it. HEIC is also measured the way it was decoded before (the
 * whole image through heic-decode, WebAssembly) in the same run; JPEG and PNG take the same path
 * as before, so their baseline is the same code.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { decodeBuffer, decodeFile } from '../main/core/imaging/decode.js';
import { OnnxEngine } from '../main/core/embedding/onnx/onnx-engine.js';
import { measure } from './engines.js';
import { nativeHeifAvailable } from '../main/core/imaging/heif-native.js';
import { CLI, ferrariPhotos } from '../tests/helpers/datasets.js';
import { hasHeifEnc } from '../tests/helpers/fixtures.js';
import { writePhoneHeic, writePhoneJpeg } from '../tests/helpers/phone-heic.js';

/** Small enough for a loaded 2-core machine (heif-enc takes ~5–10 s a photo there). */
const PER_KIND = 12;
/** Bump when what is generated changes. */
const CACHE = path.join(process.env.LIKENESS_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'likeness-bench'), 'photos-v1');
const KINDS = ['jpeg-12mp', 'heic-thumb', 'heic-nothumb', 'png-screenshot'] as const;
type Kind = (typeof KINDS)[number];

/** How HEIC was decoded before: the whole image, in WebAssembly. */
const OLD_HEIC = { LIKENESS_HEIC_DECODER: 'wasm', LIKENESS_HEIC_THUMBNAIL: 'off' };
const WASM_THUMB = { LIKENESS_HEIC_DECODER: 'wasm' };

const rate = (count: number, ms: number) => `${((count * 1000) / ms).toFixed(2)} img/s`;

export async function benchPhotos(): Promise<string[]> {
  if (!hasHeifEnc()) return ['photos: heif-enc (libheif-examples) is not installed: no HEIC can be made'];
  const folders = await generate();
  const lines = [`set: ${PER_KIND} photos per kind in ${CACHE} (native HEIC decoder: ${(await nativeHeifAvailable()) ? 'heif-convert' : 'none found'})`];

  lines.push('', 'decode-only (decodeFile: working copy, thumbnail, hashes, CNN input; 1 thread):');
  for (const kind of KINDS) {
    const files = listImages(folders[kind]);
    const now = await timeDecode(files, {});
    let line = `  ${kind.padEnd(15)} now ${rate(files.length, now)}`;
    if (kind.startsWith('heic')) {
      const wasm = await timeDecode(files, WASM_THUMB);
      const old = await timeDecode(files, OLD_HEIC);
      line += `   WASM fallback ${rate(files.length, wasm)}   baseline (before: whole image, WASM) ${rate(files.length, old)}   ratio ×${(old / now).toFixed(1)}`;
    }
    lines.push(line);
  }

  lines.push('', 'where a photo\'s milliseconds go (1 thread, each stage alone, mean per photo):');
  for (const kind of KINDS) lines.push(`  ${kind.padEnd(15)} ${await stages(listImages(folders[kind]))}`);

  for (const annotate of ['off', 'on']) {
    lines.push('', `likeness index, fresh library, process start included, LIKENESS_ANNOTATE=${annotate}:`);
    for (const kind of KINDS) {
      const count = listImages(folders[kind]).length;
      const now = cliIndex(folders[kind], { LIKENESS_ANNOTATE: annotate });
      let line = `  ${kind.padEnd(15)} now ${rate(count, now)}`;
      if (kind.startsWith('heic')) {
        const old = cliIndex(folders[kind], { LIKENESS_ANNOTATE: annotate, ...OLD_HEIC });
        line += `   baseline (before) ${rate(count, old)}   ratio ×${(old / now).toFixed(1)}`;
      }
      lines.push(line);
    }
  }
  return lines;
}

/**
 * Read, hash, decode (working copy, hashes, EXIF: decodeBuffer without a thumbnail, less its
 * hash), thumbnail (WebP of a 256 px copy) and CNN (ONNX, 1 thread, batch of 4), each timed alone.
 */
async function stages(files: string[]): Promise<string> {
  const ms = { read: 0, hash: 0, decode: 0, thumbnail: 0, cnn: 0 };
  const inputs: Uint8Array[] = [];
  for (const file of files) {
    let t = performance.now();
    const bytes = await fs.promises.readFile(file);
    ms.read += performance.now() - t;
    t = performance.now();
    crypto.createHash('sha1').update(bytes).digest('hex');
    const hash = performance.now() - t;
    ms.hash += hash;
    t = performance.now();
    const decoded = await decodeBuffer(bytes, { cnnSize: 224, thumbnail: false });
    ms.decode += performance.now() - t - hash;
    inputs.push(decoded.cnnInput);
    const small = await sharp(Buffer.from(decoded.cnnInput), { raw: { width: 224, height: 224, channels: 3 } }).resize(256, 256).raw().toBuffer();
    t = performance.now();
    await sharp(small, { raw: { width: 256, height: 256, channels: 3 } }).webp({ quality: 80, effort: 2 }).toBuffer();
    ms.thumbnail += performance.now() - t;
  }
  const engine = await OnnxEngine.create({ log: () => {} });
  try {
    ms.cnn = (await measure('onnx', engine, inputs, 4)).msPerImage * files.length;
  } finally {
    await engine.dispose();
  }
  const total = Object.values(ms).reduce((a, b) => a + b, 0);
  return `${Object.entries(ms).map(([stage, v]) => `${stage} ${(v / files.length).toFixed(1)}`).join('   ')}   (sum ${(total / files.length).toFixed(0)} ms)`;
}

function listImages(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => !f.startsWith('.')).sort().map((f) => path.join(dir, f));
}

async function timeDecode(files: string[], env: Record<string, string>): Promise<number> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    await decodeFile(files[0], { cnnSize: 224, thumbnail: true }); // warm-up (WASM start, tool check)
    const start = performance.now();
    for (const file of files) await decodeFile(file, { cnnSize: 224, thumbnail: true });
    return performance.now() - start;
  } finally {
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

/** Milliseconds for `likeness index <folder>` into a fresh library. */
function cliIndex(folder: string, env: Record<string, string>): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-bench-photos-'));
  try {
    const started = performance.now();
    const run = spawnSync(process.execPath, [CLI, 'index', folder, '--db', path.join(dir, 'bench.db')], { encoding: 'utf8', env: { ...process.env, ...env } });
    if (run.status !== 0) throw new Error(`likeness index ${folder} failed: ${run.stderr.trim().split('\n').pop()}`);
    return performance.now() - started;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Makes the set once; a kind finished before is kept. */
async function generate(): Promise<Record<Kind, string>> {
  const folders = Object.fromEntries(KINDS.map((k) => [k, path.join(CACHE, k)])) as Record<Kind, string>;
  const sources = ferrariPhotos().filter((_, i) => i % 6 === 0).slice(0, PER_KIND);
  const done = (kind: Kind) => fs.existsSync(path.join(folders[kind], '.complete'));
  const finish = (kind: Kind) => fs.writeFileSync(path.join(folders[kind], '.complete'), '');
  for (const kind of KINDS) if (!done(kind)) fs.rmSync(folders[kind], { recursive: true, force: true });
  for (const kind of KINDS) fs.mkdirSync(folders[kind], { recursive: true });

  const work = path.join(CACHE, 'work');
  fs.mkdirSync(work, { recursive: true });
  const phoneJpeg = async (i: number) => {
    const file = path.join(work, `phone-${i}.jpg`);
    if (!fs.existsSync(file)) {
      await writePhoneJpeg(sources[i], `${file}.tmp.jpg`); // renamed when whole: an interrupted run leaves no half file
      fs.renameSync(`${file}.tmp.jpg`, file);
    }
    return file;
  };

  if (!done('jpeg-12mp')) {
    for (let i = 0; i < sources.length; i++) {
      const out = path.join(folders['jpeg-12mp'], `photo-${i}.jpg`);
      // Every third one in sensor orientation with EXIF orientation 6, as a camera held upright writes.
      if (i % 3 === 0) fs.copyFileSync(await phoneJpeg(i), out);
      else await sharp(sources[i]).resize(4032, 3024, { fit: 'fill' }).withExifMerge({ IFD0: { Make: 'Canon', Model: 'Canon EOS 80D' } }).jpeg({ quality: 90 }).toFile(out);
    }
    finish('jpeg-12mp');
  }

  for (const kind of ['heic-thumb', 'heic-nothumb'] as const) {
    if (done(kind)) continue;
    for (let i = 0; i < sources.length; i++) {
      writePhoneHeic(await phoneJpeg(i), path.join(folders[kind], `photo-${i}.heic`), { thumbnail: kind === 'heic-thumb' });
    }
    finish(kind);
  }

  if (!done('png-screenshot')) {
    const sizes = [
      [1170, 2532], // phone, 3 MP
      [1920, 1080], // desktop, 2 MP
      [1280, 800], // laptop, 1 MP
    ];
    for (let i = 0; i < sources.length; i++) {
      const [width, height] = sizes[i % sizes.length];
      const photoWidth = Math.round(width * 0.8);
      const photo = await sharp(sources[i]).resize(photoWidth, Math.round(height * 0.5), { fit: 'inside' }).toBuffer();
      const bars = Buffer.from(
        `<svg width="${width}" height="${height}"><rect width="${width}" height="${Math.round(height * 0.08)}" fill="#2d6cdf"/>` +
          `<text x="24" y="${Math.round(height * 0.05)}" font-size="${Math.round(height * 0.03)}" font-family="DejaVu Sans" fill="#fff">Photos · ${i + 1} of ${PER_KIND}</text>` +
          `<text x="24" y="${Math.round(height * 0.8)}" font-size="${Math.round(height * 0.025)}" font-family="DejaVu Sans" fill="#333">Shared with you yesterday at 18:04</text></svg>`,
      );
      await sharp({ create: { width, height, channels: 3, background: '#f4f4f6' } })
        .composite([{ input: bars }, { input: photo, top: Math.round(height * 0.15), left: Math.round((width - photoWidth) / 2) }])
        .png()
        .toFile(path.join(folders['png-screenshot'], `screen-${i}.png`));
    }
    finish('png-screenshot');
  }
  return folders;
}
