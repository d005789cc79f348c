/**
 * The annotation worker thread: loads the object detector and the text reader once, then
 * annotates one photo per message. Heavy work never runs on the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { annotatePhoto } from './annotate-photo.js';
import { annotatorId } from './annotator-id.js';
import { ObjectDetector } from './detector.js';
import { TextReader } from './ocr.js';
import type { FromAnnotator, ToAnnotator } from './protocol.js';

const port = parentPort!;
const send = (message: FromAnnotator) => port.postMessage(message);

async function main() {
  const [detector, reader] = await Promise.all([ObjectDetector.create(), TextReader.create()]);
  send({ type: 'ready', annotatorId: annotatorId() });
  // One photo at a time, in arrival order (the queue sends the next after each result).
  port.on('message', async (message: ToAnnotator) => {
    try {
      send({ type: 'result', id: message.id, ok: true, annotation: await annotatePhoto(message.path, detector, reader) });
    } catch (error) {
      send({ type: 'result', id: message.id, ok: false, reason: `could not annotate: ${(error as Error).message}` });
    }
  });
}

main().catch((error) => send({ type: 'startup-failed', message: (error as Error).message }));
