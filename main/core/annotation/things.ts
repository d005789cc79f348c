/**
 * The library's "things": its most frequent automatic tags, each with how many photos carry it and
 * a cover (the photo where the detector was surest), and how far annotation has come, so a view can
 * say that more are coming while it runs.
 */
import type { Db } from '../store/database.js';
import { AUTO_TAG_THRESHOLD, AnnotationsRepository } from './annotations-repository.js';

export interface Thing {
  tag: string;
  count: number;
  coverId: number;
}

export interface AnnotationProgress {
  /** Indexed photos whose current annotation is stored. */
  annotated: number;
  /** Indexed photos still to annotate (or to annotate again: a new model, a changed file). */
  pending: number;
}

export const THINGS_LIMIT = 40;

export function frequentThings(db: Db, limit = THINGS_LIMIT): Thing[] {
  const shown = `FROM auto_tags t JOIN files f ON f.id = t.file_id
     WHERE t.score >= ? AND f.status = 'indexed'
     AND NOT EXISTS (SELECT 1 FROM auto_tag_rejections r WHERE r.file_id = t.file_id AND r.tag = t.tag)`;
  const tags = db
    .prepare(`SELECT t.tag AS tag, COUNT(*) AS count ${shown} GROUP BY t.tag ORDER BY count DESC, t.tag LIMIT ?`)
    .all(AUTO_TAG_THRESHOLD, limit) as { tag: string; count: number }[];
  const cover = db.prepare(`SELECT t.file_id AS id ${shown} AND t.tag = ? ORDER BY t.score DESC, t.file_id LIMIT 1`).pluck();
  return tags.map((t) => ({ ...t, coverId: cover.get(AUTO_TAG_THRESHOLD, t.tag) as number }));
}

export function annotationProgress(db: Db, annotator: string): AnnotationProgress {
  const pending = new AnnotationsRepository(db).countPending(annotator);
  const indexed = db.prepare("SELECT COUNT(*) FROM files WHERE status = 'indexed'").pluck().get() as number;
  return { annotated: indexed - pending, pending };
}
