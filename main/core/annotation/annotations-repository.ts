/**
 * All SQL of automatic annotations (migration 0007): what is still to annotate, the stored
 * results, a user's rejections, and the matches a search word has among them.
 */
import type { Db } from '../store/database.js';
import type { Annotation } from './annotate-photo.js';
import { labelsForWord } from './vocabulary.js';
import { DETECTOR_FLOOR } from './detector.js';

/**
 * Calibrated on caltech101-dev (519 photos of 52 categories: the 29 whose objects COCO names or
 * nearly, and every 4th other one as distractors; detector scores ranked as search ranks them),
 * 19 object words (motorbike, plane, chair, laptop, pizza, cup, umbrella, stop sign, phone, …):
 *
 *   score floor            0.20   0.25   0.30   0.35   0.40
 *   mean precision@10      0.605  0.568  0.537  0.521  0.463
 *   precision of returned  0.655  0.720  0.651  0.658  0.658
 *   recall                 0.644  0.564  0.513  0.481  0.434
 *
 * (The misses are the detector's: caltech's isolated chairs, old cell phones and drawn cups get
 * no or other labels; dalmatians are read as cows and giraffes.)
 * Search ranks by score, so a lower floor only adds photos after the confident ones: it searches
 * from the detector's floor (0.2). A photo's list of automatic tags is a set, not a ranking:
 * it shows only detections from 0.3, where a wrong label on a photo is rare.
 */
export const AUTO_TAG_THRESHOLD = 0.3;
export const SEARCH_MIN_SCORE = DETECTOR_FLOOR;
/** A word read in the photo is strong evidence: it ranks with a confident detection. */
const TEXT_MATCH_SCORE = 1;

export interface AutoTag {
  tag: string;
  score: number;
  box: [number, number, number, number];
}

export interface PhotoAnnotations {
  annotator: string | null;
  auto: AutoTag[];
  text: string;
}

export class AnnotationsRepository {
  constructor(private readonly db: Db) {}

  /** Indexed photos never annotated, or annotated by another annotator or for other content. */
  pending(annotator: string, limit: number): { id: number; path: string }[] {
    return this.db
      .prepare(
        `SELECT f.id AS id, f.path AS path FROM files f LEFT JOIN annotations a ON a.file_id = f.id
         WHERE f.status = 'indexed' AND (a.file_id IS NULL OR a.annotator != ? OR a.content_hash IS NOT f.content_hash)
         ORDER BY f.id LIMIT ?`,
      )
      .all(annotator, limit) as { id: number; path: string }[];
  }

  countPending(annotator: string): number {
    return (
      this.db
        .prepare(
          `SELECT COUNT(*) AS n FROM files f LEFT JOIN annotations a ON a.file_id = f.id
           WHERE f.status = 'indexed' AND (a.file_id IS NULL OR a.annotator != ? OR a.content_hash IS NOT f.content_hash)`,
        )
        .get(annotator) as { n: number }
    ).n;
  }

  /** Stores one photo's annotation, replacing an earlier one (one transaction: all or nothing). */
  save(fileId: number, annotator: string, result: Annotation | { contentHash: string; error: string }): void {
    const text = 'error' in result ? '' : result.lines.map((l) => l.text).join('\n');
    this.db.transaction(() => {
      // The file may have left the index while it was being annotated.
      if (!this.db.prepare('SELECT 1 FROM files WHERE id = ?').get(fileId)) return;
      this.db.prepare('DELETE FROM annotations WHERE file_id = ?').run(fileId);
      this.db.prepare('DELETE FROM auto_tags WHERE file_id = ?').run(fileId);
      this.db
        .prepare('INSERT INTO annotations (file_id, annotator, content_hash, text, error, annotated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(fileId, annotator, result.contentHash, text, 'error' in result ? result.error : null, Date.now());
      if ('error' in result) return;
      const insert = this.db.prepare('INSERT INTO auto_tags (file_id, tag, score, box) VALUES (?, ?, ?, ?)');
      for (const o of result.objects) insert.run(fileId, o.label, o.score, JSON.stringify(o.box.map((v) => Math.round(v * 1e4) / 1e4)));
      if (text) this.db.prepare('INSERT INTO photo_text_fts (rowid, text) VALUES (?, ?)').run(fileId, searchableText(text));
    })();
  }

  /** A photo's automatic tags (above the threshold, not removed by the user) and its text. */
  of(id: number): PhotoAnnotations {
    const row = this.db.prepare('SELECT annotator, text FROM annotations WHERE file_id = ?').get(id) as { annotator: string; text: string } | undefined;
    const auto = (
      this.db
        .prepare(
          `SELECT tag, score, box FROM auto_tags t WHERE file_id = ? AND score >= ?
           AND NOT EXISTS (SELECT 1 FROM auto_tag_rejections r WHERE r.file_id = t.file_id AND r.tag = t.tag)
           ORDER BY score DESC, tag`,
        )
        .all(id, AUTO_TAG_THRESHOLD) as { tag: string; score: number; box: string }[]
    ).map((r) => ({ tag: r.tag, score: Math.round(r.score * 100) / 100, box: JSON.parse(r.box) as AutoTag['box'] }));
    return { annotator: row?.annotator ?? null, auto, text: row?.text ?? '' };
  }

  /** Removes automatic tags from a photo for good (re-annotation does not bring them back). */
  reject(id: number, tags: string[]): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO auto_tag_rejections (file_id, tag, rejected_at) VALUES (?, ?, ?)');
    const now = Date.now();
    this.db.transaction(() => {
      for (const tag of tags) insert.run(id, tag.trim().toLowerCase(), now);
    })();
  }

  /**
   * The photos a search word reaches through automatic annotations, with a score: the best
   * detection of a label the word names (synonyms and plurals included), or a word read in the
   * photo (prefix match, so "RE16" finds "RE16 TGK").
   */
  matches(word: string): Map<number, number> {
    const found = new Map<number, number>();
    const labels = labelsForWord(word);
    if (labels.length) {
      const rows = this.db
        .prepare(
          `SELECT file_id AS id, MAX(score) AS score FROM auto_tags t
           WHERE tag IN (${labels.map(() => '?').join(', ')}) AND score >= ?
           AND NOT EXISTS (SELECT 1 FROM auto_tag_rejections r WHERE r.file_id = t.file_id AND r.tag = t.tag)
           GROUP BY file_id`,
        )
        .all(...labels, SEARCH_MIN_SCORE) as { id: number; score: number }[];
      for (const r of rows) found.set(r.id, r.score);
    }
    const term = word.replace(/"/g, '""');
    if (/[\p{L}\p{N}]/u.test(word)) {
      const rows = this.db.prepare('SELECT rowid AS id FROM photo_text_fts WHERE photo_text_fts MATCH ?').all(`"${term}"*`) as { id: number }[];
      for (const r of rows) found.set(r.id, Math.max(found.get(r.id) ?? 0, TEXT_MATCH_SCORE));
    }
    return found;
  }

  /** How many automatic tags of each label the library has (most first). */
  counts(): { tag: string; count: number }[] {
    return this.db
      .prepare(
        `SELECT tag, COUNT(*) AS count FROM auto_tags t WHERE score >= ?
         AND NOT EXISTS (SELECT 1 FROM auto_tag_rejections r WHERE r.file_id = t.file_id AND r.tag = t.tag)
         GROUP BY tag ORDER BY count DESC, tag`,
      )
      .all(AUTO_TAG_THRESHOLD) as { tag: string; count: number }[];
  }
}

/**
 * The text as read, plus its run-together words split where letters meet digits or a capital
 * follows a small letter: the recogniser often drops spaces ("RE16TGK", "HarbourStreet"), and a
 * search for "TGK" or "Street" must still find it.
 */
export function searchableText(text: string): string {
  const split = text.replace(/(\p{L})(?=\p{N})|(\p{N})(?=\p{L})/gu, '$1$2 ').replace(/(\p{Ll})(?=\p{Lu})/gu, '$1 ');
  return split === text ? text : `${text}\n${split}`;
}
