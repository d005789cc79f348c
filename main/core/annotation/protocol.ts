/** Messages between the annotation queue and its worker thread. */
import type { Annotation } from './annotate-photo.js';

/** `objects`: find objects and read text; `faces`: find and describe faces (people, issue 18). */
export type ToAnnotator = { type: 'annotate'; id: number; path: string; objects: boolean; faces: boolean };

export type FromAnnotator =
  | { type: 'ready'; annotatorId: string; faceModelId: string }
  | { type: 'startup-failed'; message: string }
  | { type: 'result'; id: number; ok: true; annotation: Annotation }
  | { type: 'result'; id: number; ok: false; reason: string };
