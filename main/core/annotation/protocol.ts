/** Messages between the annotation queue and its worker thread. */
import type { Annotation } from './annotate-photo.js';

export type ToAnnotator = { type: 'annotate'; id: number; path: string };

export type FromAnnotator =
  | { type: 'ready'; annotatorId: string }
  | { type: 'startup-failed'; message: string }
  | { type: 'result'; id: number; ok: true; annotation: Annotation }
  | { type: 'result'; id: number; ok: false; reason: string };
