/**
 * A burst set made from real photos (caltech101-dev): for each scene, a virtual camera takes a
 * burst over one photo — panning, zooming, re-exposing, one shot shaken (blurred) — with EXIF
 * times seconds apart; beside it, the same place on another day (the same photo framed and
 * exposed otherwise, days later) and other photos of the same kind of thing (the same category),
 * some taken the same day, hours apart, some with no EXIF time at all (as caltech's are: the
 * "eight motorbikes photographed alike" case). Only the shots of one burst are one moment.
 *
 * Two parts on disjoint categories: `tune` (the similar-shot rule is set on it) and `held`.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { DATASETS } from './datasets.js';

export type BurstPart = 'tune' | 'held';

export interface BurstFile {
  path: string;
  /** The moment it shows: shots of one burst share it; every other photo is its own. */
  moment: string;
  role: 'burst' | 'blurred-burst' | 'other-day' | 'same-kind' | 'same-kind-no-time';
}

export const BURST_SCENES: Record<BurstPart, string[]> = {
  tune: ['Motorbikes', 'airplanes', 'car_side', 'Leopards', 'ferry', 'chair', 'dolphin', 'elephant', 'helicopter', 'watch'],
  held: ['Faces', 'butterfly', 'bonsai', 'camera', 'crab', 'flamingo', 'grand_piano', 'hedgehog', 'ewer', 'schooner'],
};

/** One shot of the virtual camera: the window (fractions of the frame), exposure, shake. */
interface Shot {
  left: number;
  top: number;
  scale: number;
  brightness: number;
  blur?: number;
  seconds: number;
}

const BURST: Record<BurstPart, Shot[]> = {
  tune: [
    { left: 0.04, top: 0.04, scale: 0.9, brightness: 1, seconds: 0 },
    { left: 0.07, top: 0.05, scale: 0.9, brightness: 0.93, seconds: 1 },
    { left: 0.02, top: 0.03, scale: 0.86, brightness: 1.08, seconds: 3 },
    { left: 0.06, top: 0.06, scale: 0.88, brightness: 1, blur: 2.2, seconds: 4 },
  ],
  held: [
    { left: 0.05, top: 0.05, scale: 0.88, brightness: 1, seconds: 0 },
    { left: 0.09, top: 0.04, scale: 0.85, brightness: 1.1, seconds: 2 },
    { left: 0.01, top: 0.06, scale: 0.9, brightness: 0.9, seconds: 5 },
    { left: 0.04, top: 0.02, scale: 0.92, brightness: 1.04, blur: 2.6, seconds: 8 },
  ],
};
/** The same place another day: framed and lit otherwise, three days later. */
const OTHER_DAY: Shot = { left: 0.1, top: 0.02, scale: 0.84, brightness: 0.85, seconds: 3 * 86_400 + 3_600 };

const exifTime = (base: number, seconds: number) => new Date(base + seconds * 1000).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');

async function shoot(source: string, shot: Shot, target: string, base: number | null): Promise<void> {
  const meta = await sharp(source).rotate().metadata();
  const w = meta.width!;
  const h = meta.height!;
  const width = Math.round(w * shot.scale);
  const height = Math.round(h * shot.scale);
  let image = sharp(source)
    .rotate()
    .extract({ left: Math.min(w - width, Math.round(w * shot.left)), top: Math.min(h - height, Math.round(h * shot.top)), width, height })
    .resize(w, h)
    .modulate({ brightness: shot.brightness });
  if (shot.blur) image = image.blur(shot.blur);
  if (base !== null) image = image.withExif({ IFD0: { Make: 'Likeness', Model: 'Virtual camera' }, IFD2: { DateTimeOriginal: exifTime(base, shot.seconds) } });
  await image.jpeg({ quality: 90 }).toFile(target);
}

function photosOf(category: string): string[] {
  const dir = path.join(DATASETS, 'caltech101-dev', category);
  return fs.readdirSync(dir).filter((n) => /\.jpe?g$/i.test(n)).sort().map((n) => path.join(dir, n));
}

/** Writes the part's photos (of the scenes named, all by default) under `dir` and returns them with the moment each shows. */
export async function makeBurstSet(part: BurstPart, dir: string, scenes = BURST_SCENES[part]): Promise<BurstFile[]> {
  const files: BurstFile[] = [];
  for (const category of scenes) {
    const c = BURST_SCENES[part].indexOf(category);
    const [source, ...others] = photosOf(category);
    const base = Date.UTC(2024, 4, 1 + c, 9 + (c % 8), 15, 0);
    const scene = path.join(dir, category);
    fs.mkdirSync(scene, { recursive: true });
    for (const [s, shot] of BURST[part].entries()) {
      const file = path.join(scene, `burst-${s}.jpg`);
      await shoot(source, shot, file, base);
      files.push({ path: file, moment: `${category}-burst`, role: shot.blur ? 'blurred-burst' : 'burst' });
    }
    const otherDay = path.join(scene, 'other-day.jpg');
    await shoot(source, OTHER_DAY, otherDay, base);
    files.push({ path: otherDay, moment: `${category}-other-day`, role: 'other-day' });
    // Other photos of the same kind of thing: two the same day (hours apart), three with no time.
    for (const [o, other] of others.slice(0, 5).entries()) {
      const file = path.join(scene, `same-kind-${o}.jpg`);
      const timed = o < 2;
      await shoot(other, { left: 0, top: 0, scale: 1, brightness: 1, seconds: (o + 1) * 7_200 + 437 }, file, timed ? base : null);
      files.push({ path: file, moment: `${category}-other-${o}`, role: timed ? 'same-kind' : 'same-kind-no-time' });
    }
  }
  return files;
}
