/**
 * Text search over what is in the photos: a query's words may be matched by the user-typed index
 * (names, folders, EXIF, tags, captions) or by automatic annotations (object labels and their
 * synonyms, words read in the photo, the names of the people in it). Photos the user-typed index matches on every word keep
 * their place first; photos that need annotations for some word come after them, best
 * detection first.
 */
import type { Db } from '../store/database.js';
import { AnnotationsRepository } from './annotations-repository.js';
import { PeopleRepository } from '../people/people-repository.js';

/** A word that names a person in the photo is as strong as a word read in it. */
const PERSON_MATCH_SCORE = 1;

interface Row {
  id: number;
  path: string;
  rank: number;
}

/** The words of a query as search-service's ftsQuery reads them. */
function words(text: string): string[] {
  return text
    .normalize('NFC')
    .split(/[\s"]+/)
    .map((w) => w.replace(/[*^():{}+-]+$/g, '').replace(/^[*^():{}+-]+/g, ''))
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/**
 * `textRows`: the user-typed index's matches (BM25 rank, lower is better); `filteredRows`: every
 * photo passing the query's other filters. Returns textRows followed by the photos annotations
 * complete, with ranks that sort after textRows.
 */
export function withAnnotationMatches(db: Db, text: string, textRows: Row[], filteredRows: () => Row[]): Row[] {
  const ws = words(text);
  if (ws.length === 0) return textRows;
  const repo = new AnnotationsRepository(db);
  const people = new PeopleRepository(db);
  const perWord = ws.map((w) => {
    const annotated = repo.matches(w);
    // The names of the people in a photo are its text too (issue 18).
    for (const id of people.matches(w)) annotated.set(id, Math.max(annotated.get(id) ?? 0, PERSON_MATCH_SCORE));
    return { annotated, typed: typedMatches(db, w) };
  });
  if (perWord.every((p) => p.annotated.size === 0)) return textRows;
  const already = new Set(textRows.map((r) => r.id));
  const scored: { row: Row; score: number }[] = [];
  for (const row of filteredRows()) {
    if (already.has(row.id)) continue;
    let score = 0;
    let ok = true;
    for (const p of perWord) {
      const s = p.annotated.get(row.id) ?? (p.typed.has(row.id) ? 1 : undefined);
      if (s === undefined) {
        ok = false;
        break;
      }
      score += s;
    }
    if (ok) scored.push({ row, score: score / perWord.length });
  }
  scored.sort((a, b) => b.score - a.score || a.row.path.localeCompare(b.row.path));
  // Ranks are negated into scores by the caller: keep every annotation hit below the typed ones.
  const floor = textRows.length ? Math.min(...textRows.map((r) => -r.rank)) : 1;
  const scale = Math.max(floor, 1e-6) * 0.999;
  return [...textRows, ...scored.map(({ row, score }) => ({ ...row, rank: -score * scale }))];
}

function typedMatches(db: Db, word: string): Set<number> {
  const rows = db.prepare('SELECT rowid AS id FROM files_fts WHERE files_fts MATCH ?').all(`"${word.replace(/"/g, '""')}"*`) as { id: number }[];
  return new Set(rows.map((r) => r.id));
}
