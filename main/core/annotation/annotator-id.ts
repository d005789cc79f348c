import { ANNOTATION_RECIPE } from './annotate-photo.js';
import { detectorModelId } from './detector.js';
import { OCR_MODEL_ID } from './ocr.js';

/**
 * The id stored with every photo's annotations: models and recipe. A photo annotated under
 * another id (a new model or recipe) is annotated again.
 */
export function annotatorId(): string {
  return `${detectorModelId()}+${OCR_MODEL_ID}/${ANNOTATION_RECIPE}`;
}
