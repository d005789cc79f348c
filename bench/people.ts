/**
 * People (issue 18): face detection recall, BCubed precision/recall/F1 of the people clusters
 * (each photo counted in the cluster of its largest face) and faces' cost per photo, on
 * lfw-people-dev (100 people, 250² photos, one face each) and on scenes composed from it: the
 * faces smaller, off centre, with one or two other people beside them, pasted on caltech101-dev
 * backgrounds (the photo's person is its largest face). Descriptors are cached under
 * /tmp/people-cache so that threshold sweeps are cheap.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { FACE_FLOOR, FACE_MIN_SCORE, FaceFinder, faceModelId, type Face } from '../main/core/people/faces.js';
import { placeFaces, SAME_PERSON, type LooseFace, type PersonSeed } from '../main/core/people/cluster.js';
import { DATASETS } from '../tests/helpers/datasets.js';
import { CLUSTER_AFTER_PHOTOS } from '../main/core/annotation/annotation-queue.js';
import { Library } from '../main/core/library.js';

const LFW = path.join(DATASETS, 'lfw-people-dev');
const CALTECH = path.join(DATASETS, 'caltech101-dev');
const CACHE = '/tmp/people-cache';
/** Photos between two clustering passes in the library (the annotation queue's). */
const CLUSTER_EVERY = CLUSTER_AFTER_PHOTOS;

interface Photo {
  file: string;
  person: string;
  /** Where the labelled face was pasted ([x, y, w, h] fractions); null: the original photo. */
  truth: [number, number, number, number] | null;
  /** Other pasted faces (for detection recall). */
  others: [number, number, number, number][];
}

export function lfwPhotos(): Photo[] {
  const out: Photo[] = [];
  for (const person of fs.readdirSync(LFW).sort()) {
    const dir = path.join(LFW, person);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const n of fs.readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort()) out.push({ file: path.join(dir, n), person, truth: null, others: [] });
  }
  return out;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** LFW's face sits in the centre ~110 px of its 250 px photo: the pasted piece is the central 150. */
async function faceCrop(file: string, size: number): Promise<Buffer> {
  return sharp(file).extract({ left: 50, top: 45, width: 150, height: 160 }).resize(size, Math.round((size * 160) / 150)).jpeg().toBuffer();
}

/** Each LFW photo pasted smaller and off centre on a 800×600 caltech background, half with 1–2 smaller other people. */
export async function composeScenes(photos: Photo[]): Promise<Photo[]> {
  const dir = path.join(CACHE, 'scenes');
  fs.mkdirSync(dir, { recursive: true });
  const backgrounds = fs
    .readdirSync(CALTECH)
    .filter((c) => c !== 'Faces' && c !== 'Faces_easy')
    .sort()
    .flatMap((c) => fs.readdirSync(path.join(CALTECH, c)).sort().slice(0, 2).map((n) => path.join(CALTECH, c, n)));
  const random = rng(18);
  const W = 800;
  const H = 600;
  const out: Photo[] = [];
  for (let i = 0; i < photos.length; i++) {
    const p = photos[i];
    const file = path.join(dir, `scene_${String(i).padStart(4, '0')}.jpg`);
    const main = Math.round(90 + random() * 110); // pasted width: faces ~65–145 px wide in an 800 px photo
    const others: { file: string; size: number }[] = [];
    if (random() < 0.5) {
      const k = random() < 0.5 ? 1 : 2;
      for (let j = 0; j < k; j++) {
        let q = photos[Math.floor(random() * photos.length)];
        while (q.person === p.person) q = photos[Math.floor(random() * photos.length)];
        others.push({ file: q.file, size: Math.round(main * (0.55 + random() * 0.25)) });
      }
    }
    // Places left to right in random slots so that pieces do not overlap.
    const pieces = [{ file: p.file, size: main }, ...others];
    const slot = W / pieces.length;
    const placed = pieces.map((piece, j) => {
      const h = Math.round((piece.size * 160) / 150);
      const left = Math.round(j * slot + random() * Math.max(0, slot - piece.size));
      const top = Math.round(random() * (H - h));
      return { ...piece, left, top, h };
    });
    const order = placed.map((_, j) => j).sort(() => random() - 0.5);
    const ordered = order.map((j) => placed[j]);
    if (!fs.existsSync(file)) {
      const bg = await sharp(backgrounds[i % backgrounds.length]).resize(W, H, { fit: 'cover' }).removeAlpha().toBuffer();
      const layers = await Promise.all(ordered.map(async (q) => ({ input: await faceCrop(q.file, q.size), left: q.left, top: q.top })));
      await sharp(bg).composite(layers).jpeg({ quality: 88 }).toFile(file);
    }
    // The face inside a piece: LFW's face box (about 75..175 of 250) in the pasted piece.
    const faceOf = (q: (typeof placed)[number]): [number, number, number, number] => {
      const s = q.size / 150;
      return [(q.left + 25 * s) / W, (q.top + 30 * s) / H, (100 * s) / W, (110 * s) / H];
    };
    out.push({ file, person: p.person, truth: faceOf(placed[0]), others: placed.slice(1).map(faceOf) });
  }
  return out;
}

export interface Found {
  faces: { box: Face['box']; score: number; vector: string }[];
  ms: number;
  decodeMs: number;
}

/**
 * Faces of every photo, as the library finds them (FACE_MIN_SCORE). Found once at the finder's
 * floor and cached by file and face model, so a sweep of the score is cheap.
 */
async function findAll(photos: Photo[], label: string): Promise<Found[]> {
  const all = await findAtFloor(photos, label);
  return all.map((f) => ({ ...f, faces: f.faces.filter((x) => x.score >= FACE_MIN_SCORE) }));
}

async function findAtFloor(photos: Photo[], label: string): Promise<Found[]> {
  fs.mkdirSync(CACHE, { recursive: true });
  const key = crypto.createHash('sha1').update(faceModelId(FACE_FLOOR)).update(photos.map((p) => p.file).join('\n')).digest('hex').slice(0, 12);
  const cacheFile = path.join(CACHE, `${label}-${key}.json`);
  if (fs.existsSync(cacheFile)) return JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Found[];
  const finder = await FaceFinder.create(FACE_FLOOR);
  const out: Found[] = [];
  for (const p of photos) {
    let t = performance.now();
    const { data, info } = await sharp(p.file).rotate().resize(960, 960, { fit: 'inside', withoutEnlargement: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const decodeMs = performance.now() - t;
    t = performance.now();
    const faces = await finder.find({ data, width: info.width, height: info.height });
    out.push({
      faces: faces.map((f) => ({ box: f.box, score: f.score, vector: Buffer.from(f.vector.buffer).toString('base64') })),
      ms: performance.now() - t,
      decodeMs,
    });
  }
  fs.writeFileSync(cacheFile, JSON.stringify(out));
  return out;
}

const vectorOf = (b64: string) => {
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
};

function covers(box: [number, number, number, number], truth: [number, number, number, number]): boolean {
  const cx = box[0] + box[2] / 2;
  const cy = box[1] + box[3] / 2;
  return cx >= truth[0] && cx <= truth[0] + truth[2] && cy >= truth[1] && cy <= truth[1] + truth[3];
}

/** BCubed precision and recall of a clustering (`cluster[i]` of photo i) against `truth[i]`. */
export function bcubed(cluster: string[], truth: string[]): { precision: number; recall: number; f1: number } {
  let p = 0;
  let r = 0;
  const n = cluster.length;
  for (let i = 0; i < n; i++) {
    let sameC = 0;
    let sameT = 0;
    let both = 0;
    for (let j = 0; j < n; j++) {
      const c = cluster[j] === cluster[i];
      const t = truth[j] === truth[i];
      if (c) sameC++;
      if (t) sameT++;
      if (c && t) both++;
    }
    p += both / sameC;
    r += both / sameT;
  }
  p /= n;
  r /= n;
  return { precision: p, recall: r, f1: (2 * p * r) / (p + r) };
}

/**
 * Clusters the photos as the library does: in batches of CLUSTER_AFTER_PHOTOS, each batch's
 * faces placed among the people made so far; the photos in a shuffled order (a library is not
 * sorted by person).
 */
export function evaluate(photos: Photo[], found: Found[], threshold: number, batch = CLUSTER_EVERY) {
  const random = rng(7);
  const order = photos.map((_, i) => i).sort(() => random() - 0.5);
  const seeds: PersonSeed[] = [];
  const personOf = new Map<number, number>();
  let faceId = 0;
  let nextPerson = 1;
  const largest = new Map<number, number>();
  const photoOf = new Map<number, number>();
  for (let start = 0; start < order.length; start += batch) {
    const loose: LooseFace[] = [];
    for (const i of order.slice(start, start + batch)) {
      found[i].faces.forEach((face, k) => {
        if (k === 0) largest.set(i, faceId);
        photoOf.set(faceId, i);
        loose.push({ id: faceId++, vector: vectorOf(face.vector), rejected: new Set() });
      });
    }
    for (const group of placeFaces(seeds, loose, threshold)) {
      let seed = seeds.find((s) => s.id === group.person);
      if (!seed) seeds.push((seed = { id: nextPerson++, sum: new Float32Array(1024), count: 0, fixed: false, rejects: new Set() }));
      for (const f of group.faces) {
        personOf.set(f, seed.id);
        const v = loose.find((l) => l.id === f)!.vector;
        for (let k = 0; k < v.length; k++) seed.sum[k] += v[k];
        seed.count++;
      }
      for (const old of group.absorbed) {
        const o = seeds.findIndex((s) => s.id === old);
        for (let k = 0; k < seed.sum.length; k++) seed.sum[k] += seeds[o].sum[k];
        seed.count += seeds[o].count;
        seeds.splice(o, 1);
        for (const [f, p] of personOf) if (p === old) personOf.set(f, seed.id);
      }
    }
  }
  const photosIn = new Map<number, Set<number>>();
  for (const [f, i] of photoOf) {
    const p = personOf.get(f)!;
    if (!photosIn.has(p)) photosIn.set(p, new Set());
    photosIn.get(p)!.add(i);
  }
  // A person of one photo is one of the "others": a cluster of its own, like a photo without a face.
  const cluster = photos.map((_, i) => {
    const f = largest.get(i);
    const p = f === undefined ? undefined : personOf.get(f);
    return p !== undefined && photosIn.get(p)!.size >= 2 ? `p${p}` : `single${i}`;
  });
  return bcubed(
    cluster,
    photos.map((p) => p.person),
  );
}

function recall(photos: Photo[], found: Found[]): { labelled: number; all: number; falsePerPhoto: number } {
  let hit = 0;
  let all = 0;
  let allHit = 0;
  let extra = 0;
  photos.forEach((p, i) => {
    const boxes = found[i].faces.map((f) => f.box);
    if (!p.truth) {
      hit += boxes.length > 0 ? 1 : 0;
      all++;
      allHit += boxes.length > 0 ? 1 : 0;
      extra += Math.max(0, boxes.length - 1);
      return;
    }
    const truths = [p.truth, ...p.others];
    hit += boxes.some((b) => covers(b, p.truth!)) ? 1 : 0;
    all += truths.length;
    allHit += truths.filter((t) => boxes.some((b) => covers(b, t))).length;
    extra += boxes.filter((b) => !truths.some((t) => covers(b, t))).length;
  });
  return { labelled: hit / photos.length, all: allHit / all, falsePerPhoto: extra / photos.length };
}

const pct = (v: number) => (v * 100).toFixed(1) + '%';

/** The indexing rate with faces off (embedding only) and on (embedding, then faces), same photos, same run. */
async function indexingRate(files: string[], label: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-bench-people-'));
  try {
    fs.mkdirSync(path.join(dir, 'photos'));
    files.forEach((f, i) => fs.copyFileSync(f, path.join(dir, 'photos', `IMG_${String(i).padStart(4, '0')}.jpg`)));
    const library = Library.open({ dbPath: path.join(dir, 'bench.db'), annotate: false, faces: true });
    try {
      let t = performance.now();
      const s = await library.index([path.join(dir, 'photos')]);
      const off = (performance.now() - t) / 1000;
      t = performance.now();
      const a = await library.annotate();
      const faces = (performance.now() - t) / 1000;
      const n = s.indexed;
      return (
        `  indexing ${n} ${label}: faces off ${(n / off).toFixed(2)} img/s (${off.toFixed(1)} s); faces on ${(n / (off + faces)).toFixed(2)} img/s ` +
        `(${faces.toFixed(1)} s more, ${((faces * 1000) / Math.max(1, a.annotated)).toFixed(0)} ms/photo with the worker's start: decode ${a.timing.decode.toFixed(0)} ms, faces ${a.timing.faces.toFixed(0)} ms)`
      );
    } finally {
      await library.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPeople(): Promise<string[]> {
  const lfw = lfwPhotos();
  const scenes = await composeScenes(lfw);
  const lines: string[] = [`face model: ${faceModelId()}`];
  for (const [label, photos] of [
    ['lfw-people-dev', lfw],
    ['composed scenes (800×600, faces 65–145 px, half with 1–2 others)', scenes],
  ] as const) {
    const found = await findAll(photos, label.split(' ')[0]);
    const r = recall(photos, found);
    const ms = found.reduce((s, f) => s + f.ms, 0) / found.length;
    const decode = found.reduce((s, f) => s + f.decodeMs, 0) / found.length;
    lines.push(`${label}: ${photos.length} photos, ${new Set(photos.map((p) => p.person)).size} people`);
    lines.push(`  detection recall: labelled face ${pct(r.labelled)}, every pasted face ${pct(r.all)}; faces found outside them ${r.falsePerPhoto.toFixed(2)}/photo`);
    lines.push(`  faces cost ${ms.toFixed(0)} ms/photo (detect + describe, one thread, in the run that filled the cache), beside its 960-px decode ${decode.toFixed(0)} ms/photo`);
    lines.push(await indexingRate(photos.filter((_, i) => i % 17 === 0).map((p) => p.file), 'of them'));
    for (const t of [0.58, 0.6, 0.62, 0.65]) {
      const b = evaluate(photos, found, t);
      lines.push(`  BCubed at likeness ≥ ${t.toFixed(2)}${t === SAME_PERSON ? ' (default)' : ''}: precision ${pct(b.precision)}, recall ${pct(b.recall)}, F1 ${pct(b.f1)}`);
    }
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchPeople()) console.log(line);
}
