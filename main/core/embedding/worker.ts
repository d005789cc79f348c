/**
 * An embedding worker thread: decodes photos (once each) and runs the CNN on them, in batches.
 * Everything heavy happens here, never on the main thread.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from './create-engine.js';
import { embedWithFlip, vectorModelId } from './flip-average.js';
import { decodeBuffer, decodeFile, ImageError, type DecodedPhoto } from '../imaging/decode.js';
import type { FromWorker, ToWorker, WorkItem, WorkResult, WorkerConfig } from './worker-protocol.js';

// A worker's stdout is the process's, which carries `--json` answers: libraries that print there
// (libheif logs "Decoding image failed …" with console.log) are silenced, or sent to stderr with
// LIKENESS_DEBUG. What the user must read goes through 'log' messages.
const chatter = (...args: unknown[]) => {
  if (process.env.LIKENESS_DEBUG) process.stderr.write(`${format(...args)}\n`);
};
console.log = console.info = console.debug = chatter;

const config = workerData as WorkerConfig;
const port = parentPort!;
const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

async function main() {
  const engine = await createEngine(config.engine, { log: (line) => send({ type: 'log', line }) });
  send({ type: 'ready', modelId: vectorModelId(engine.modelId), runtime: engine.runtime, dims: engine.dims, inputSize: engine.inputSize });

  port.on('message', async (message: ToWorker) => {
    const decoded = await Promise.all(message.items.map((item) => decodeItem(item, engine.inputSize)));
    const good = decoded.filter((d): d is DecodedPhoto => !(d instanceof Failure));
    let vectors: Float32Array[] = [];
    let embedError: string | null = null;
    try {
      vectors = await embedWithFlip(engine, good.map((d) => d.cnnInput));
    } catch (error) {
      embedError = `the CNN failed on this image: ${(error as Error).message}`;
    }
    const results: WorkResult[] = [];
    let next = 0;
    for (let i = 0; i < decoded.length; i++) {
      const d = decoded[i];
      if (d instanceof Failure) {
        results.push({ ok: false, reason: d.reason });
        continue;
      }
      const vector = vectors[next++];
      if (embedError || !vector) {
        results.push({ ok: false, reason: embedError ?? 'the CNN returned no vector' });
        continue;
      }
      const { cnnInput: _pixels, thumbnailWebp, ...facts } = d;
      let thumbnail: string | null = null;
      if (thumbnailWebp && config.thumbnailDir && message.items[i].thumbnail) {
        thumbnail = await writeThumbnail(config.thumbnailDir, facts.contentHash, thumbnailWebp);
      }
      results.push({ ok: true, facts, vector, thumbnail });
    }
    send({ type: 'results', id: message.id, results }, results.flatMap((r) => (r.ok ? [r.vector.buffer as ArrayBuffer] : [])));
  });
}

class Failure {
  constructor(readonly reason: string) {}
}

async function decodeItem(item: WorkItem, cnnSize: number): Promise<DecodedPhoto | Failure> {
  try {
    const options = { cnnSize, thumbnail: item.thumbnail };
    if (item.bytes) return await decodeBuffer(Buffer.from(item.bytes.buffer, item.bytes.byteOffset, item.bytes.byteLength), options);
    return await decodeFile(item.path!, options);
  } catch (error) {
    return new Failure(error instanceof ImageError ? error.message : `could not process image: ${(error as Error).message}`);
  }
}

/** Thumbnails are named by content, so renamed or duplicated photos share one file. */
async function writeThumbnail(dir: string, contentHash: string, webp: Buffer): Promise<string | null> {
  const target = path.join(dir, contentHash.slice(0, 2), `${contentHash}.webp`);
  try {
    await fs.access(target);
    return target;
  } catch {
    // not there yet
  }
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fs.writeFile(temporary, webp);
    await fs.rename(temporary, target);
    return target;
  } catch {
    return null; // a missing thumbnail is cosmetic; the grid falls back to the original
  }
}

main().catch((error) => send({ type: 'startup-failed', message: (error as Error).message }));
