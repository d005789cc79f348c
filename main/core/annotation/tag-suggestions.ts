/**
 * What the search box suggests as one types: the user's tags that start with the word (or have a
 * word that does), and the automatic tags the word reaches through the vocabulary (the label, or
 * an everyday word for it: "peo" → person via "people"), each with how many photos carry it. Only
 * tags some photo has are suggested. User tags come first (they also rank first in search).
 */
import type { Db } from '../store/database.js';
import { TagsRepository } from '../text-search/tags-repository.js';
import { autoTagCounts } from './things.js';
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
  const user = new TagsRepository(db).tagsStartingWith(like, limit);
  const labels = labelsForPrefix(word);
  const counts = autoTagCounts(db, labels.map((l) => l.label));
  const auto = labels
    .map(({ label, via }) => ({ tag: label, via, count: counts.get(label) ?? 0 }))
    .filter((s) => s.count > 0)
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  return [
    ...user.map((u) => ({ tag: u.tag, kind: 'user' as const, count: u.count })),
    ...auto.map((a) => ({ tag: a.tag, kind: 'auto' as const, count: a.count, ...(a.via ? { via: a.via } : {}) })),
  ].slice(0, limit);
}
