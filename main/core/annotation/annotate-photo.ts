/**
 * One photo's annotation: objects and text, and its faces (people), from one decode of the file
 * made for them (faces are found at this size too: the 256 px embedding decode is too small for
 * the faces of a group photo).
 *
 * Not the embedding decode: that one is shrunk on load to a 256 px short side, enough for the
 * CNN's 224² but not for the detector's 512² nor for reading text (OCR wants ~960 px). Sharing it
 * would make every embedding pay for a 4–14× larger decode, so annotation decodes again, at
 * ANNOTATION_SIDE, EXIF-oriented (text in a photo shot sideways reads upright).
 */
import fs from 'node:fs/promises';
import sharp from 'sharp';
import { MAX_INPUT_PIXELS } from '../imaging/formats.js';
import { DETECTOR_INPUT_SIZE, type Detection, type ObjectDetector } from './detector.js';
import type { TextLine, TextReader } from './ocr.js';
import type { Face, FaceFinder } from '../people/faces.js';

/** Long side of the annotation decode (the OCR detector's own limit is 960). */
const ANNOTATION_SIDE = 960;
/** Names how annotations are made (decode size, thresholds): a change re-annotates the library. */
export const ANNOTATION_RECIPE = 'long960-ocr0.6-det0.2';

export interface Annotation {
  contentHash: string;
  objects: Detection[];
  lines: TextLine[];
  /** Present when faces were asked for: every face found, largest first. */
  faces?: Face[];
  /** Milliseconds spent decoding, detecting, reading text and on faces (for the bench). */
  timing: { decode: number; detect: number; ocr: number; faces?: number };
}

/** The models to run: objects and text (detector + reader), faces, or both. */
export interface Annotators {
  detector?: ObjectDetector;
  reader?: TextReader;
  faces?: FaceFinder;
}

export async function annotatePhoto(file: string, { detector, reader, faces: finder }: Annotators): Promise<Annotation> {
  let t = performance.now();
  const bytes = await fs.readFile(file);
  const { createHash } = await import('node:crypto');
  const contentHash = createHash('sha1').update(bytes).digest('hex');
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .resize(ANNOTATION_SIDE, ANNOTATION_SIDE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgb = { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  const square = detector
    ? await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
        .resize(DETECTOR_INPUT_SIZE, DETECTOR_INPUT_SIZE, { fit: 'fill' })
        .raw()
        .toBuffer()
    : null;
  const decode = performance.now() - t;
  t = performance.now();
  const objects = detector && square ? await detector.detect(new Uint8Array(square.buffer, square.byteOffset, square.length)) : [];
  const detect = performance.now() - t;
  t = performance.now();
  const lines = reader ? await reader.read(rgb) : [];
  const ocr = performance.now() - t;
  t = performance.now();
  const faces = finder ? await finder.find(rgb) : undefined;
  const facesMs = performance.now() - t;
  // Boxes as fractions of the oriented photo, like the detector's.
  for (const line of lines) {
    const [x, y, w, h] = line.box;
    line.box = [x / info.width, y / info.height, w / info.width, h / info.height];
  }
  return { contentHash, objects, lines, faces, timing: { decode, detect, ocr, faces: facesMs } };
}
