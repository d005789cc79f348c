/**
 * The annotation queue: after embedding, every indexed photo without a current annotation (never
 * annotated, changed since, or annotated by another model/recipe) goes through the annotation
 * worker threads (two by default: each model runs on one thread, so a second worker uses a
 * second core), and each result is committed on its own. So a library is searchable by
 * similarity before annotation finishes, a crash loses at most the photo in flight (the next run
 * starts where it stopped), and embedding never waits for it.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Db } from '../store/database.js';
import type { Annotation } from './annotate-photo.js';
import { AnnotationsRepository } from './annotations-repository.js';
import type { FromAnnotator } from './protocol.js';

export interface AnnotateProgress {
  done: number;
  total: number;
  failed: number;
}

export interface AnnotateOptions {
  signal?: AbortSignal;
  onProgress?: (progress: AnnotateProgress) => void;
  /** Called after each photo is stored (tests use it to stop a run midway). */
  onAnnotated?: (fileId: number) => void;
}

export interface AnnotateSummary {
  annotated: number;
  failed: number;
  /** Mean milliseconds per photo of each step, over this run. */
  timing: { decode: number; detect: number; ocr: number };
}

/** LIKENESS_ANNOTATE=off (or 0/false) leaves photos without automatic tags and text. */
export function annotationEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.LIKENESS_ANNOTATE ?? '').toLowerCase();
  return !['off', '0', 'false', 'no'].includes(v);
}

const BATCH = 32;

interface Started {
  worker: Worker;
  annotatorId: string;
}

/** Two workers where there are two cores: the models are single-threaded. */
export function defaultAnnotationWorkers(): number {
  return Math.max(1, Math.min(2, os.availableParallelism()));
}

export class AnnotationQueue {
  private readonly workers: (Promise<Started> | null)[];
  private running: Promise<AnnotateSummary> | null = null;
  private again = false;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly db: Db,
    workers = defaultAnnotationWorkers(),
  ) {
    this.workers = Array.from({ length: Math.max(1, workers) }, () => null);
  }

  /**
   * Annotates what is pending. A call while a run is going joins it, and the run looks again
   * when it has finished (the photos that call is about may have been indexed after the run's
   * last look).
   */
  run(options: AnnotateOptions = {}): Promise<AnnotateSummary> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let summary: AnnotateSummary;
      do {
        this.again = false;
        summary = await this.drain(options);
      } while (this.again && !this.closed);
      return summary;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(options: AnnotateOptions): Promise<AnnotateSummary> {
    const repo = new AnnotationsRepository(this.db);
    const sum = { decode: 0, detect: 0, ocr: 0 };
    let annotated = 0;
    let failed = 0;
    const { annotatorId } = await this.start(0);
    const total = repo.countPending(annotatorId);
    if (total === 0) return { annotated, failed, timing: sum };
    const skipped = new Set<number>();
    while (!this.closed && !options.signal?.aborted) {
      const batch = repo.pending(annotatorId, BATCH + skipped.size).filter((p) => !skipped.has(p.id)).slice(0, BATCH);
      if (batch.length === 0) break;
      let next = 0;
      // Each worker takes the batch's next photo when it is free.
      const runner = async (slot: number) => {
        while (next < batch.length && !this.closed && !options.signal?.aborted) {
          const photo = batch[next++];
          const hash = (this.db.prepare('SELECT content_hash FROM files WHERE id = ?').get(photo.id) as { content_hash: string | null } | undefined)?.content_hash;
          if (!hash) {
            skipped.add(photo.id); // left the index meanwhile, or not hashed: not ours to annotate now
            continue;
          }
          const result = await this.annotate(slot, photo.path);
          if (this.closed) return;
          if ('error' in result) {
            failed++;
            repo.save(photo.id, annotatorId, { contentHash: hash, error: result.error });
          } else {
            annotated++;
            for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += result.timing[k];
            // Stored under the hash the index knows, so a file changed since is annotated again.
            repo.save(photo.id, annotatorId, { ...result, contentHash: hash });
          }
          options.onAnnotated?.(photo.id);
          options.onProgress?.({ done: annotated + failed, total, failed });
        }
      };
      await Promise.all(this.workers.map((_, slot) => runner(slot)));
    }
    const n = Math.max(1, annotated);
    return { annotated, failed, timing: { decode: sum.decode / n, detect: sum.detect / n, ocr: sum.ocr / n } };
  }

  /** The annotator id (models + recipe) the worker runs. */
  async annotatorId(): Promise<string> {
    return (await this.start(0)).annotatorId;
  }

  private annotate(slot: number, file: string): Promise<Annotation | { error: string }> {
    return this.start(slot).then(
      ({ worker }) =>
        new Promise((resolve) => {
          const id = this.nextId++;
          const onMessage = (message: FromAnnotator) => {
            if (message.type !== 'result' || message.id !== id) return;
            cleanup();
            resolve(message.ok ? message.annotation : { error: message.reason });
          };
          const onExit = (code: number) => {
            cleanup();
            this.workers[slot] = null; // the next photo gets a fresh worker
            resolve({ error: `the annotation worker stopped (code ${code})` });
          };
          const cleanup = () => {
            worker.off('message', onMessage);
            worker.off('exit', onExit);
          };
          worker.on('message', onMessage);
          worker.on('exit', onExit);
          worker.postMessage({ type: 'annotate', id, path: file });
        }),
    );
  }

  private start(slot: number): Promise<Started> {
    this.workers[slot] ??= new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./worker.js', import.meta.url));
      const onMessage = (message: FromAnnotator) => {
        if (message.type === 'ready') {
          worker.off('message', onMessage);
          resolve({ worker, annotatorId: message.annotatorId });
        } else if (message.type === 'startup-failed') {
          void worker.terminate();
          reject(new Error(`the annotation models could not start: ${message.message}`));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', (error: Error) => reject(new Error(`the annotation worker could not start: ${error.message}`)));
    });
    const started = this.workers[slot]!;
    started.catch(() => {
      if (this.workers[slot] === started) this.workers[slot] = null;
    });
    return started;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.running?.catch(() => undefined);
    const all = await Promise.all(this.workers.map((w) => w?.catch(() => null)));
    this.workers.fill(null);
    await Promise.all(all.map((w) => w?.worker.terminate()));
  }
}
