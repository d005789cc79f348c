/**
 * A whitening fit in its own thread: at the sample cap it takes ~8 s of CPU, which on the main
 * thread would stall the web server (and so the app) for that long. See fitWhiteningOffThread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_WHITENING, fitWhitening } from './whitening.js';

const { vectors, fittedOn } = workerData as { vectors: Float32Array[]; fittedOn: number };
const fit = fitWhitening(vectors, DEFAULT_WHITENING, fittedOn);
parentPort!.postMessage(fit, [fit.mean.buffer as ArrayBuffer, fit.projection.buffer as ArrayBuffer]);
