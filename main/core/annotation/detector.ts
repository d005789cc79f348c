/**
 * Objects in photos: CenterNet (MobileNetV3 backbone, COCO-80) as `@vladmandic/human` ships it
 * (`models/centernet.json` + `.bin`, a TF.js graph model), on TF.js's WebAssembly backend.
 *
 * Why TF.js and not our ONNX converter: the graph's head needs ResizeBilinear, Mean, ConcatV2,
 * Sigmoid and a post-processing tail (TopKV2, GatherV2, FloorDiv/FloorMod, StridedSlice, Cast)
 * that the converter does not implement; extending it is future work that would make detection
 * several times cheaper.
 *
 * The graph takes a 512×512 RGB image with values 0–255 (it normalises inside) and returns its
 * 100 best centre points as [x1, y1, x2, y2, score, class] in input pixels (max-pooled heatmap
 * peaks, so already one point per object).
 */
import { COCO_LABELS, type CocoLabel } from './vocabulary.js';
import { humanVersion, loadHumanModel, loadTf, type Tf } from './human-models.js';

export const DETECTOR_INPUT_SIZE = 512;
const OUTPUT_NODE = 'tower_0/detections';
/** Candidates kept per photo before the calibrated threshold is applied (at most one per label is stored). */
export const DETECTOR_FLOOR = 0.2;

export interface Detection {
  label: CocoLabel;
  score: number;
  /** [x, y, width, height], fractions of the photo's (oriented) width and height. */
  box: [number, number, number, number];
}

export function detectorModelId(): string {
  return `centernet-mb3-coco80@vladmandic-human-${humanVersion()}`;
}

export class ObjectDetector {
  private constructor(
    private readonly tf: Tf,
    private readonly model: import('@tensorflow/tfjs').GraphModel,
  ) {}

  static async create(): Promise<ObjectDetector> {
    const tf = await loadTf();
    const model = await loadHumanModel(tf, 'centernet');
    return new ObjectDetector(tf, model);
  }

  /** `rgb`: DETECTOR_INPUT_SIZE² RGB bytes (the photo stretched to a square). Best first, one per label. */
  async detect(rgb: Uint8Array): Promise<Detection[]> {
    const { tf } = this;
    const n = DETECTOR_INPUT_SIZE;
    if (rgb.length !== n * n * 3) throw new Error(`expected ${n * n * 3} RGB bytes, got ${rgb.length}`);
    const x = tf.tensor4d(Float32Array.from(rgb), [1, n, n, 3]);
    const y = this.model.execute(x, OUTPUT_NODE) as import('@tensorflow/tfjs').Tensor;
    const rows = ((await y.array()) as number[][][])[0].sort((a, b) => b[4] - a[4]);
    tf.dispose([x, y]);
    const best = new Map<CocoLabel, Detection>();
    for (const [x1, y1, x2, y2, score, cls] of rows) {
      const label = COCO_LABELS[cls];
      if (!label || !(score >= DETECTOR_FLOOR) || best.has(label)) continue; // the first row of a label is its best
      const cx = (v: number) => Math.min(1, Math.max(0, v / n));
      best.set(label, { label, score, box: [cx(x1), cx(y1), cx(x2) - cx(x1), cx(y2) - cx(y1)] });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }
}
