/**
 * The annotation queue: after embedding, every indexed photo without a current annotation (never
 * annotated, changed since, or annotated by another model/recipe) goes through the annotation
 * worker threads (two by default: each model runs on one thread, so a second worker uses a
 * second core), and each result is committed on its own. The queue hosts two annotators, each
 * with its own model id and pending list: objects and text, and faces (people, issue 18), which
 * share one decode of a photo wanted by both; after a run, new faces are clustered into people. So a library is searchable by
 * similarity before annotation finishes, a crash loses at most the photo in flight (the next run
 * starts where it stopped), and embedding never waits for it.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Db } from '../store/database.js';
import type { Annotation } from './annotate-photo.js';
import { AnnotationsRepository } from './annotations-repository.js';
import { PeopleRepository } from '../people/people-repository.js';
import type { FromAnnotator, ToAnnotator } from './protocol.js';

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
  timing: { decode: number; detect: number; ocr: number; faces: number };
}

/** What the queue annotates: objects and text, faces, or both. */
export interface AnnotationTasks {
  objects: boolean;
  faces: boolean;
}

/** LIKENESS_ANNOTATE=off (or 0/false) leaves photos without automatic tags and text. */
export function annotationEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.LIKENESS_ANNOTATE ?? '').toLowerCase();
  return !['off', '0', 'false', 'no'].includes(v);
}

const BATCH = 32;
/**
 * New faces are clustered into people after this many photos (and when the queue is drained):
 * clustering many at once is closer to clustering them all together (on the composed scenes of
 * `npm run bench -- people`, BCubed F1 0.855 in passes of 32 photos, 0.90 of all 687).
 */
export const CLUSTER_AFTER_PHOTOS = 512;

interface Started {
  worker: Worker;
  annotatorId: string;
  faceModelId: string;
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
    private readonly tasks: AnnotationTasks = { objects: true, faces: false },
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
    const people = new PeopleRepository(this.db);
    const sum = { decode: 0, detect: 0, ocr: 0, faces: 0 };
    let annotated = 0;
    let failed = 0;
    const { annotatorId, faceModelId } = await this.start(0);
    const { tasks } = this;
    // A photo may be pending for one annotator, the other, or both (then decoded once for both).
    const pending = (limit: number) => {
      const byId = new Map<number, { id: number; path: string; objects: boolean; faces: boolean }>();
      for (const p of tasks.objects ? repo.pending(annotatorId, limit) : []) byId.set(p.id, { ...p, objects: true, faces: false });
      for (const p of tasks.faces ? people.pending(faceModelId, limit) : []) byId.set(p.id, { ...p, objects: byId.has(p.id), faces: true });
      return [...byId.values()].sort((a, b) => a.id - b.id).slice(0, limit);
    };
    const total = (tasks.objects ? repo.countPending(annotatorId) : 0) + (tasks.faces ? people.countPending(faceModelId) : 0);
    if (total === 0) {
      if (tasks.faces) people.cluster(); // faces a stopped run left unclustered
      return { annotated, failed, timing: sum };
    }
    let done = 0;
    let clusteredAt = 0;
    const skipped = new Set<number>();
    while (!this.closed && !options.signal?.aborted) {
      const batch = pending(BATCH + skipped.size).filter((p) => !skipped.has(p.id)).slice(0, BATCH);
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
          const result = await this.annotate(slot, photo);
          if (this.closed) return;
          if ('error' in result) {
            failed++;
            if (photo.objects) repo.save(photo.id, annotatorId, { contentHash: hash, error: result.error });
            if (photo.faces) people.save(photo.id, faceModelId, { contentHash: hash, error: result.error });
          } else {
            annotated++;
            for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += result.timing[k] ?? 0;
            // Stored under the hash the index knows, so a file changed since is annotated again.
            if (photo.objects) repo.save(photo.id, annotatorId, { ...result, contentHash: hash });
            if (photo.faces) people.save(photo.id, faceModelId, { contentHash: hash, faces: result.faces ?? [] });
          }
          done += (photo.objects ? 1 : 0) + (photo.faces ? 1 : 0);
          options.onAnnotated?.(photo.id);
          options.onProgress?.({ done, total, failed });
        }
      };
      await Promise.all(this.workers.map((_, slot) => runner(slot)));
      // People grow while a large library is read (the People view fills in).
      if (tasks.faces && done - clusteredAt >= CLUSTER_AFTER_PHOTOS) {
        people.cluster();
        clusteredAt = done;
      }
    }
    if (tasks.faces) people.cluster();
    const n = Math.max(1, annotated);
    return { annotated, failed, timing: { decode: sum.decode / n, detect: sum.detect / n, ocr: sum.ocr / n, faces: sum.faces / n } };
  }

  /** The annotator id (models + recipe) the worker runs. */
  async annotatorId(): Promise<string> {
    return (await this.start(0)).annotatorId;
  }

  private annotate(slot: number, photo: { path: string; objects: boolean; faces: boolean }): Promise<Annotation | { error: string }> {
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
          const message: ToAnnotator = { type: 'annotate', id, path: photo.path, objects: photo.objects, faces: photo.faces };
          worker.postMessage(message);
        }),
    );
  }

  private start(slot: number): Promise<Started> {
    this.workers[slot] ??= new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./worker.js', import.meta.url));
      const onMessage = (message: FromAnnotator) => {
        if (message.type === 'ready') {
          worker.off('message', onMessage);
          resolve({ worker, annotatorId: message.annotatorId, faceModelId: message.faceModelId });
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
