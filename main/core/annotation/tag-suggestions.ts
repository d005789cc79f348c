/**
 * What the search box suggests as one types: the user's tags that start with the word (or have a
 * word that does), and the automatic tags the word reaches through the vocabulary (the label, or
 * an everyday word for it: "peo" → person via "people"), each with how many photos carry it. Only
 * tags some photo has are suggested. User tags come first (they also rank first in search).
 */
import type { Db } from '../store/database.js';
import { AUTO_TAG_THRESHOLD } from './annotations-repository.js';
import { labelsForPrefix } from './vocabulary.js';

export interface TagSuggestion {
  tag: string;
  /** user: typed by the user; auto: found by the object detector. */
  kind: 'user' | 'auto';
  /** Photos carrying the tag (automatic ones: shown on the photo, not removed by the user). */
  count: number;
  /** The everyday word typed, when it is not the tag itself ("people" for person). */
  via?: string;
}

export const SUGGESTION_LIMIT = 8;

export function suggestTags(db: Db, prefix: string, limit = SUGGESTION_LIMIT): TagSuggestion[] {
  const word = prefix.trim().toLowerCase();
  if (!/[\p{L}\p{N}]/u.test(word)) return [];
  const like = word.replace(/[\\%_]/g, (c) => `\\${c}`);
  const user = db
    .prepare(
      `SELECT MIN(tag) AS tag, COUNT(DISTINCT file_id) AS count FROM tags
       WHERE tag LIKE ? ESCAPE '\\' OR tag LIKE ? ESCAPE '\\'
       GROUP BY tag COLLATE NOCASE ORDER BY count DESC, tag LIMIT ?`,
    )
    .all(`${like}%`, `% ${like}%`, limit) as { tag: string; count: number }[];
  const labels = labelsForPrefix(word);
  const count = db.prepare(
    `SELECT COUNT(*) AS n FROM auto_tags t JOIN files f ON f.id = t.file_id
     WHERE t.tag = ? AND t.score >= ? AND f.status = 'indexed'
     AND NOT EXISTS (SELECT 1 FROM auto_tag_rejections r WHERE r.file_id = t.file_id AND r.tag = t.tag)`,
  );
  const auto = labels
    .map(({ label, via }) => ({ tag: label, via, count: (count.get(label, AUTO_TAG_THRESHOLD) as { n: number }).n }))
    .filter((s) => s.count > 0)
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  return [
    ...user.map((u) => ({ tag: u.tag, kind: 'user' as const, count: u.count })),
    ...auto.map((a) => ({ tag: a.tag, kind: 'auto' as const, count: a.count, ...(a.via ? { via: a.via } : {}) })),
  ].slice(0, limit);
}
