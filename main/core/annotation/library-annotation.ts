/**
 * A library's automatic annotation (objects and text, issue 13; faces and people, issue 18):
 * whether it is on, the queue that annotates photos after they are embedded, and what it found.
 */
import type { Db } from '../store/database.js';
import { People, facesEnabledByEnv } from '../people/people.js';
import { AnnotationQueue, annotationEnabled, type AnnotateOptions, type AnnotateSummary } from './annotation-queue.js';
import { annotationProgress, frequentThings, type AnnotationProgress, type Thing } from './things.js';
import { annotatorId } from './annotator-id.js';

export interface AnnotationSettings {
  /** Objects and text; unset: on unless LIKENESS_ANNOTATE=off. */
  annotate?: boolean;
  /** Faces and people; unset: see LibraryOptions.faces. */
  faces?: boolean;
}

export class LibraryAnnotation {
  /** Started on first need, for the settings of that moment. */
  private queue: AnnotationQueue | null = null;

  constructor(
    private readonly db: Db,
    private readonly settings: AnnotationSettings,
  ) {}

  get objectsOn(): boolean {
    return this.settings.annotate ?? annotationEnabled();
  }

  get facesOn(): boolean {
    return this.settings.faces ?? (this.settings.annotate !== false && facesEnabledByEnv() && this.people().enabled);
  }

  /** Annotates every indexed photo that lacks a current annotation (resumable; one run at a time). */
  run(options: AnnotateOptions = {}): Promise<AnnotateSummary> {
    this.queue ??= new AnnotationQueue(this.db, { objects: this.objectsOn, faces: this.facesOn });
    return this.queue.run(options);
  }

  /** Turns face recognition on or off; off deletes every face, descriptor, person and name. */
  async setFaceRecognition(on: boolean): Promise<void> {
    // The queue was made for the old setting: a run in flight stops before anything is deleted.
    await this.close();
    this.people().setEnabled(on);
  }

  people(): People {
    return new People(this.db);
  }

  /** The most frequent automatic tags, a cover each, and how far annotation has come (`enabled`: more is coming). */
  things(limit: number | undefined, enabled: boolean): { things: Thing[]; annotation: AnnotationProgress & { enabled: boolean } } {
    return { things: frequentThings(this.db, limit), annotation: { enabled, ...annotationProgress(this.db, annotatorId()) } };
  }

  async close(): Promise<void> {
    const queue = this.queue;
    this.queue = null;
    await queue?.close();
  }
}
