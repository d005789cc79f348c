/**
 * The copies people really have of a photo, made with sharp: sent through a messenger, rotated with
 * the rotation baked into the pixels, mirrored, filtered (greyscale, sepia, contrast, vivid,
 * vignette), cropped, padded (letterbox / pillarbox), with a caption, stamp or watermark burned in,
 * screenshotted with UI chrome around it, re-encoded to other formats, and combinations.
 *
 * Each kind comes in two parameter sets: `tune` (what the thresholds were calibrated on) and `held`
 * (other sizes, qualities, angles, sides and colours, never tuned on), so that a held-out figure
 * measures how far the calibration carries.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';

export type EditPart = 'tune' | 'held';

export interface Edit {
  /** The kind of edit (what is reported per line). */
  kind: string;
  /** File extension of the result. */
  ext: string;
  make: (file: string) => Promise<Buffer>;
}

const jpeg = (image: Sharp, quality = 90) => image.jpeg({ quality }).toBuffer();

async function size(file: string): Promise<{ width: number; height: number }> {
  const m = await sharp(file).rotate().metadata();
  return { width: m.width!, height: m.height! };
}

/** Downsized so that the long side is `long` px (never enlarged), JPEG `quality`, EXIF stripped. */
export async function messenger(file: string, long: number, quality: number): Promise<Buffer> {
  return sharp(file).rotate().resize(long, long, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality }).toBuffer();
}

/** Rotated clockwise by `degrees`, baked into the pixels (no EXIF orientation). */
export async function rotated(file: string, degrees: 90 | 180 | 270, quality = 90): Promise<Buffer> {
  return jpeg(sharp(file).rotate().rotate(degrees), quality);
}

export async function mirrored(file: string): Promise<Buffer> {
  return jpeg(sharp(file).rotate().flop());
}

export async function greyscale(file: string): Promise<Buffer> {
  return jpeg(sharp(file).rotate().greyscale());
}

async function sepia(file: string): Promise<Buffer> {
  return jpeg(
    sharp(file)
      .rotate()
      .recomb([
        [0.393, 0.769, 0.189],
        [0.349, 0.686, 0.168],
        [0.272, 0.534, 0.131],
      ]),
  );
}

async function contrast(file: string, a: number): Promise<Buffer> {
  return jpeg(sharp(file).rotate().linear(a, -(128 * a) + 128));
}

async function vivid(file: string, saturation: number): Promise<Buffer> {
  return jpeg(sharp(file).rotate().modulate({ saturation, brightness: 1.05 }).linear(1.15, -19));
}

async function vignette(file: string, strength: number): Promise<Buffer> {
  const { width, height } = await size(file);
  const svg = `<svg width="${width}" height="${height}"><defs><radialGradient id="g" cx="50%" cy="50%" r="70%">
    <stop offset="45%" stop-color="black" stop-opacity="0"/><stop offset="100%" stop-color="black" stop-opacity="${strength}"/>
    </radialGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`;
  return jpeg(sharp(file).rotate().composite([{ input: Buffer.from(svg) }]));
}

/** Cropped by the given fractions of each side. */
async function crop(file: string, sides: { left: number; top: number; right: number; bottom: number }): Promise<Buffer> {
  const { width, height } = await size(file);
  const left = Math.round(width * sides.left);
  const top = Math.round(height * sides.top);
  const w = width - left - Math.round(width * sides.right);
  const h = height - top - Math.round(height * sides.bottom);
  return jpeg(sharp(file).rotate().extract({ left, top, width: w, height: h }));
}

/** Padded to the aspect `ratio` (width / height) on `background` ('blur' = a blurred stretched copy). */
async function pad(file: string, ratio: number, background: string): Promise<Buffer> {
  const { width, height } = await size(file);
  const w = Math.max(width, Math.round(height * ratio));
  const h = Math.max(height, Math.round(width / ratio));
  const left = Math.floor((w - width) / 2);
  const top = Math.floor((h - height) / 2);
  const photo = await sharp(file).rotate().toBuffer();
  const base =
    background === 'blur'
      ? sharp(await sharp(file).rotate().resize(w, h, { fit: 'fill' }).blur(25).modulate({ brightness: 0.7 }).toBuffer())
      : sharp({ create: { width: w, height: h, channels: 3, background } });
  return jpeg(base.composite([{ input: photo, left, top }]));
}

/** Text burned in: a caption bar, a date stamp or a watermark. */
async function burnIn(file: string, what: 'caption' | 'stamp' | 'watermark' | 'sticker'): Promise<Buffer> {
  const { width, height } = await size(file);
  const font = Math.max(10, Math.round(height * 0.07));
  let svg: string;
  if (what === 'caption') {
    const bar = Math.round(height * 0.14);
    svg = `<rect x="0" y="${height - bar}" width="${width}" height="${bar}" fill="black" fill-opacity="0.75"/>
      <text x="${width / 2}" y="${height - bar / 2 + font / 3}" font-family="DejaVu Sans" font-size="${font}" fill="white" text-anchor="middle">When we were in Maranello, summer 2019</text>`;
  } else if (what === 'stamp') {
    svg = `<text x="${width - 8}" y="${height - 10}" font-family="DejaVu Sans Mono" font-weight="bold" font-size="${font}" fill="#ff8c1a" text-anchor="end">'19 08 23</text>`;
  } else if (what === 'watermark') {
    svg = `<text x="${width / 2}" y="${height / 2}" font-family="DejaVu Sans" font-weight="bold" font-size="${font * 1.6}" fill="white" fill-opacity="0.45" text-anchor="middle" transform="rotate(-20 ${width / 2} ${height / 2})">© likeness photo</text>`;
  } else {
    const r = Math.round(Math.min(width, height) * 0.12);
    svg = `<circle cx="${width * 0.22}" cy="${height * 0.28}" r="${r}" fill="#ffd21f"/><circle cx="${width * 0.22 - r / 3}" cy="${height * 0.28 - r / 4}" r="${r / 8}" fill="black"/>
      <circle cx="${width * 0.22 + r / 3}" cy="${height * 0.28 - r / 4}" r="${r / 8}" fill="black"/>`;
  }
  return jpeg(sharp(file).rotate().composite([{ input: Buffer.from(`<svg width="${width}" height="${height}">${svg}</svg>`) }]));
}

/** The photo shown inside a larger image with UI chrome around it (a phone or desktop screenshot). */
async function screenshot(file: string, layout: 'phone' | 'desktop'): Promise<Buffer> {
  const { width, height } = await size(file);
  const portrait = layout === 'phone';
  const canvasW = portrait ? Math.round(width * 1.0) : Math.round(width * 1.4);
  const photoW = portrait ? canvasW : Math.round(width * 1.0);
  const photoH = Math.round((photoW * height) / width);
  const top = portrait ? Math.round(photoH * 0.35) : Math.round(photoH * 0.12);
  const canvasH = portrait ? Math.round(photoH * 2.1) : Math.round(photoH * 1.25);
  const left = portrait ? 0 : Math.round((canvasW - photoW) / 2);
  const bg = portrait ? '#ffffff' : '#2b2b2b';
  const chrome = `<svg width="${canvasW}" height="${canvasH}">
    <rect width="100%" height="${Math.round(top * 0.45)}" fill="${portrait ? '#f2f2f2' : '#3c3c3c'}"/>
    <text x="12" y="${Math.round(top * 0.32)}" font-family="DejaVu Sans" font-size="${Math.round(top * 0.22)}" fill="${portrait ? '#111' : '#ddd'}">${portrait ? '9:41   Messages' : 'photo.jpg — Viewer'}</text>
    <rect y="${top + photoH + 10}" x="12" width="${canvasW * 0.6}" height="${Math.round(top * 0.25)}" rx="8" fill="${portrait ? '#e5e5ea' : '#555'}"/>
    <rect y="${canvasH - Math.round(top * 0.5)}" width="100%" height="${Math.round(top * 0.5)}" fill="${portrait ? '#f2f2f2' : '#3c3c3c'}"/></svg>`;
  const photo = await sharp(file).rotate().resize(photoW, photoH).toBuffer();
  const image = sharp({ create: { width: canvasW, height: canvasH, channels: 3, background: bg } }).composite([
    { input: Buffer.from(chrome), left: 0, top: 0 },
    { input: photo, left, top },
  ]);
  return image.png().toBuffer();
}

/** The edits of one part: kind → how to make it. */
export function everydayEdits(part: EditPart): Edit[] {
  const tune = part === 'tune';
  const e = (kind: string, make: (f: string) => Promise<Buffer>, ext = 'jpg'): Edit => ({ kind, ext, make });
  return [
    e('messenger', (f) => (tune ? messenger(f, 800, 60) : messenger(f, 480, 50))),
    e('messenger-large', (f) => (tune ? messenger(f, 1280, 70) : messenger(f, 640, 65))),
    e('rotate90', (f) => rotated(f, 90)),
    e('rotate180', (f) => rotated(f, 180, tune ? 90 : 75)),
    e('rotate270', (f) => rotated(f, 270, tune ? 90 : 80)),
    e('mirror', mirrored),
    e('greyscale', greyscale),
    e('sepia', sepia),
    e('contrast', (f) => contrast(f, tune ? 1.4 : 1.6)),
    e('vivid', (f) => vivid(f, tune ? 1.6 : 1.9)),
    e('vignette', (f) => vignette(f, tune ? 0.7 : 0.85)),
    e('crop', (f) => crop(f, tune ? { left: 0.15, top: 0, right: 0, bottom: 0.05 } : { left: 0, top: 0.1, right: 0.1, bottom: 0.1 })),
    e('crop-centre', (f) => crop(f, tune ? { left: 0.1, top: 0.1, right: 0.1, bottom: 0.1 } : { left: 0.06, top: 0.12, right: 0.14, bottom: 0.04 })),
    e('pad', (f) => (tune ? pad(f, 16 / 9, '#000000') : pad(f, 1, '#ffffff'))),
    e('pad-blur', (f) => pad(f, tune ? 4 / 5 : 9 / 16, tune ? 'blur' : '#000000')),
    e('caption', (f) => burnIn(f, tune ? 'caption' : 'stamp')),
    e('watermark', (f) => burnIn(f, tune ? 'watermark' : 'sticker')),
    e('screenshot', (f) => screenshot(f, tune ? 'desktop' : 'phone'), 'png'),
    e('format', (f) => (tune ? sharp(f).rotate().webp({ quality: 75 }).toBuffer() : sharp(f).rotate().avif({ quality: 50 }).toBuffer()), tune ? 'webp' : 'avif'),
    e('combo', async (f) => (tune ? messenger(await rotatedBuffer(f, 90), 640, 60) : messenger(await greyBuffer(await cropBuffer(f)), 720, 55))),
  ];
}

async function rotatedBuffer(f: string, degrees: number): Promise<string> {
  return tmpFile(await sharp(f).rotate().rotate(degrees).jpeg({ quality: 92 }).toBuffer());
}
async function greyBuffer(f: string): Promise<string> {
  return tmpFile(await sharp(f).greyscale().rotate(270).jpeg({ quality: 92 }).toBuffer());
}
async function cropBuffer(f: string): Promise<string> {
  return tmpFile(await crop(f, { left: 0.08, top: 0.08, right: 0, bottom: 0 }));
}

let scratch: string | null = null;
let counter = 0;
function tmpFile(bytes: Buffer): string {
  if (!scratch) {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-edits-'));
    const dir = scratch;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const file = path.join(scratch, `${counter++}.jpg`);
  fs.writeFileSync(file, bytes);
  return file;
}
