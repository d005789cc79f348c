/**
 * Faces in photos, on the device: BlazeFace (back-camera variant, 256² input) finds them and
 * FaceRes (HSE FaceRes, 224² input, a 1024-d descriptor) describes them, both as
 * `@vladmandic/human` ships them (`models/blazeface.*`, `models/faceres.*`), on TF.js's
 * WebAssembly backend like the object detector. Those two are the face models installed; the
 * recipe around them (tiles for small faces, the crop fed to the descriptor) was chosen by
 * measurement on lfw-people-dev and composed group scenes (`npm run bench -- people`).
 *
 * A face's descriptor is taken from a crop rotated so the eyes are level (BlazeFace's eye
 * keypoints), which is what makes two photos of one person turned a little agree.
 */
import { humanVersion, loadHumanModel, loadTf, type GraphModel, type Tf } from '../annotation/human-models.js';

export interface Rgb {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Face {
  /** [x, y, width, height], fractions of the photo's (oriented) width and height. */
  box: [number, number, number, number];
  score: number;
  /** Unit-length descriptor: the cosine of two is their likeness. */
  vector: Float32Array;
}

const DETECT_SIZE = 256;
/**
 * BlazeFace score a face must reach. On the composed scenes of `npm run bench -- people`, 0.5
 * let in 0.40 non-faces per photo (often large: a photo's "largest face" was then no face), 0.75
 * lets in 0.02 and keeps 99% of the real faces.
 */
export const FACE_MIN_SCORE = 0.75;
/** The lowest score the finder can be asked for (the bench caches at it and filters after). */
export const FACE_FLOOR = 0.5;
/** Faces narrower than this fraction of the photo's short side are too small to describe reliably. */
const MIN_FACE_PIXELS = 24;
const EMBED_SIZE = 224;
const DESCRIPTOR_NODE = 'global_pooling/Mean';
/** The descriptor's crop: the detector's box grown by this factor (it is tighter than FaceRes was trained on). */
const CROP_SCALE = 1.3;
const IOU_SAME = 0.3;

/** Names the face models and recipe: faces found under another id are found again. */
export function faceModelId(minScore = FACE_MIN_SCORE): string {
  return `blazeface-back+faceres@vladmandic-human-${humanVersion()}/tiles2-crop${CROP_SCALE}-min${minScore}`;
}

/** BlazeFace's 896 anchors: 16×16 cells of 2 and 8×8 cells of 6, centres in input pixels. */
function anchors(size: number): [number, number][] {
  const out: [number, number][] = [];
  for (const [stride, count] of [
    [size / 16, 2],
    [size / 8, 6],
  ]) {
    const cells = Math.ceil(size / stride);
    for (let y = 0; y < cells; y++)
      for (let x = 0; x < cells; x++) for (let n = 0; n < count; n++) out.push([stride * (x + 0.5), stride * (y + 0.5)]);
  }
  return out;
}

interface Found {
  /** x1, y1, x2, y2 in photo pixels. */
  rect: [number, number, number, number];
  score: number;
  /** The two eyes, in photo pixels. */
  eyes: [[number, number], [number, number]];
}

function iou(a: Found['rect'], b: Found['rect']): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

export class FaceFinder {
  private readonly anchors = anchors(DETECT_SIZE);

  private constructor(
    private readonly tf: Tf,
    private readonly detector: GraphModel,
    private readonly descriptor: GraphModel,
    private readonly minScore: number,
  ) {}

  static async create(minScore = FACE_MIN_SCORE): Promise<FaceFinder> {
    const tf = await loadTf();
    const [detector, descriptor] = await Promise.all([loadHumanModel(tf, 'blazeface'), loadHumanModel(tf, 'faceres')]);
    return new FaceFinder(tf, detector, descriptor, Math.max(FACE_FLOOR, minScore));
  }

  /** Every face in the photo with its descriptor, largest first. */
  async find(image: Rgb): Promise<Face[]> {
    const found = await this.detectAll(image);
    const faces: Face[] = [];
    for (const f of found) {
      const vector = await this.describe(image, f);
      const [x1, y1, x2, y2] = f.rect;
      const cx = (v: number, n: number) => Math.min(1, Math.max(0, v / n));
      const box: Face['box'] = [cx(x1, image.width), cx(y1, image.height), 0, 0];
      box[2] = cx(x2, image.width) - box[0];
      box[3] = cx(y2, image.height) - box[1];
      faces.push({ box, score: f.score, vector });
    }
    return faces.sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3]);
  }

  /**
   * The whole photo, then (for faces too small at 256 px, as in group photos) overlapping
   * squares of it; the same face seen twice is kept once (its best-scored sighting).
   */
  private async detectAll(image: Rgb): Promise<Found[]> {
    const { width, height } = image;
    const squares: [number, number, number][] = [[0, 0, Math.max(width, height)]];
    const short = Math.min(width, height);
    if (short > DETECT_SIZE * 1.5) {
      // A grid of squares of the short side's 2/3, overlapping by half: a face up to 1/3 of a square fits one whole.
      const side = Math.round((short * 2) / 3);
      const step = side / 2;
      for (let y = 0; y + side <= height + 1; y += step) for (let x = 0; x + side <= width + 1; x += step) squares.push([Math.round(x), Math.round(y), side]);
    }
    const all: Found[] = [];
    for (const s of squares) all.push(...(await this.detectSquare(image, s)));
    all.sort((a, b) => b.score - a.score);
    const kept: Found[] = [];
    for (const f of all) if (!kept.some((k) => iou(k.rect, f.rect) > IOU_SAME)) kept.push(f);
    return kept.filter((f) => f.rect[2] - f.rect[0] >= MIN_FACE_PIXELS);
  }

  /** BlazeFace on one square of the photo (padded with grey past its edges). */
  private async detectSquare(image: Rgb, [sx, sy, side]: [number, number, number]): Promise<Found[]> {
    const { tf } = this;
    const n = DETECT_SIZE;
    const input = resample(image, n, n, (u, v) => [sx + (u * side) / n, sy + (v * side) / n]);
    const rows = tf.tidy(() => {
      const x = tf.sub(tf.div(tf.tensor4d(input, [1, n, n, 3]), 127.5), 1);
      let y = this.detector.execute(x) as import('@tensorflow/tfjs').Tensor | import('@tensorflow/tfjs').Tensor[];
      if (Array.isArray(y)) {
        const s = [...y].sort((a, b) => a.size - b.size);
        y = tf.concat([tf.concat([s[1], s[3]], 2), tf.concat([s[0], s[2]], 2)], 1);
      }
      return tf.squeeze(y, [0]);
    });
    const data = (await rows.array()) as number[][];
    rows.dispose();
    const scale = side / n;
    const out: Found[] = [];
    data.forEach((r, i) => {
      const score = 1 / (1 + Math.exp(-r[0]));
      if (score < this.minScore) return;
      const [ax, ay] = this.anchors[i];
      const cx = r[1] + ax;
      const cy = r[2] + ay;
      const px = (v: number) => sx + v * scale;
      const py = (v: number) => sy + v * scale;
      out.push({
        rect: [px(cx - r[3] / 2), py(cy - r[4] / 2), px(cx + r[3] / 2), py(cy + r[4] / 2)],
        score,
        eyes: [
          [px(r[5] + ax), py(r[6] + ay)],
          [px(r[7] + ax), py(r[8] + ay)],
        ],
      });
    });
    return out;
  }

  /** The face's descriptor, from a square crop around it rotated so the eyes are level. */
  private async describe(image: Rgb, f: Found): Promise<Float32Array> {
    const { tf } = this;
    const [x1, y1, x2, y2] = f.rect;
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    const side = Math.max(x2 - x1, y2 - y1) * CROP_SCALE;
    const [[ex1, ey1], [ex2, ey2]] = f.eyes;
    const [lx, ly, rx, ry] = ex1 < ex2 ? [ex1, ey1, ex2, ey2] : [ex2, ey2, ex1, ey1];
    const angle = Math.atan2(ry - ly, rx - lx);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const n = EMBED_SIZE;
    const input = resample(image, n, n, (u, v) => {
      const dx = (u / n - 0.5) * side;
      const dy = (v / n - 0.5) * side;
      return [cx + dx * cos - dy * sin, cy + dx * sin + dy * cos];
    });
    const x = tf.tensor4d(input, [1, n, n, 3]);
    // The descriptor is an inner node (the graph's outputs are its age and gender heads).
    const desc = this.descriptor.execute(x, DESCRIPTOR_NODE) as import('@tensorflow/tfjs').Tensor;
    const v = new Float32Array(await desc.data());
    tf.dispose([x, desc]);
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < v.length; i++) v[i] /= norm;
    return v;
  }
}

/**
 * A w×h RGB float image sampled (bilinear) from the photo at the points `at` maps each output
 * pixel centre to; outside the photo is mid-grey.
 */
function resample(image: Rgb, w: number, h: number, at: (u: number, v: number) => [number, number]): Float32Array {
  const { data, width, height } = image;
  const out = new Float32Array(w * h * 3);
  for (let v = 0; v < h; v++) {
    for (let u = 0; u < w; u++) {
      const [x, y] = at(u + 0.5, v + 0.5);
      const o = (v * w + u) * 3;
      const fx = x - 0.5;
      const fy = y - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) {
        out[o] = out[o + 1] = out[o + 2] = 128;
        continue;
      }
      const ax = fx - x0;
      const ay = fy - y0;
      for (let c = 0; c < 3; c++) {
        const px = (xx: number, yy: number) =>
          xx < 0 || yy < 0 || xx >= width || yy >= height ? 128 : data[(yy * width + xx) * 3 + c];
        out[o + c] =
          (px(x0, y0) * (1 - ax) + px(x0 + 1, y0) * ax) * (1 - ay) + (px(x0, y0 + 1) * (1 - ax) + px(x0 + 1, y0 + 1) * ax) * ay;
      }
    }
  }
  return out;
}
