/**
 * The annotation worker thread: loads each model on first need (objects and text, faces), then
 * annotates one photo per message. Heavy work never runs on the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { annotatePhoto, type Annotators } from './annotate-photo.js';
import { annotatorId } from './annotator-id.js';
import { ObjectDetector } from './detector.js';
import { TextReader } from './ocr.js';
import { FaceFinder, faceModelId } from '../people/faces.js';
import type { FromAnnotator, ToAnnotator } from './protocol.js';

const port = parentPort!;
const send = (message: FromAnnotator) => port.postMessage(message);

let objects: Promise<Pick<Annotators, 'detector' | 'reader'>> | null = null;
let faces: Promise<FaceFinder> | null = null;

async function models(message: ToAnnotator): Promise<Annotators> {
  if (message.objects) objects ??= Promise.all([ObjectDetector.create(), TextReader.create()]).then(([detector, reader]) => ({ detector, reader }));
  if (message.faces) faces ??= FaceFinder.create();
  return { ...(message.objects ? await objects! : {}), ...(message.faces ? { faces: await faces! } : {}) };
}

send({ type: 'ready', annotatorId: annotatorId(), faceModelId: faceModelId() });
// One photo at a time, in arrival order (the queue sends the next after each result).
port.on('message', async (message: ToAnnotator) => {
  try {
    send({ type: 'result', id: message.id, ok: true, annotation: await annotatePhoto(message.path, await models(message)) });
  } catch (error) {
    send({ type: 'result', id: message.id, ok: false, reason: `could not annotate: ${(error as Error).message}` });
  }
});
