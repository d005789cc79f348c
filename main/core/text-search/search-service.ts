/**
 * Text, metadata and hybrid search.
 *
 * - Text: SQLite FTS5 over file name, folder names, EXIF (camera, lens, date taken with month
 *   names) and user tags and captions; every word must match, as a prefix, ignoring case and
 *   accents (unicode61 tokenizer with diacritics removed). Ranked by BM25 (tags and names weigh
 *   more than folders).
 * - Filters: folder, date range (EXIF date, or the file's modification date without one), tags.
 * - Hybrid: with examples (`like`, `unlike`), the photos that pass the text and filters are ranked
 *   visually by the relevance-feedback rule of relevance.ts; with examples only, the whole
 *   library is ranked.
 */
import path from 'node:path';
import type { Db } from '../store/database.js';
import type { VectorIndex } from '../search/vector-index.js';
import type { TextSearchAnswer, TextSearchHit, TextSearchQuery } from '../types.js';
import { DEFAULT_FEEDBACK, feedbackScore, type FeedbackParams } from './relevance.js';
import { HAS_TAG_SQL, normaliseTags } from './tags-repository.js';
import { underFolder } from '../store/folder-range.js';
import { withAnnotationMatches } from '../annotation/annotation-search.js';

export interface SearchContext {
  db: Db;
  searchIndex: () => VectorIndex;
  /** The search-space vector of an example image (indexed or not) and its file id if indexed. */
  exampleVector: (file: string) => Promise<{ id: number | null; vector: Float32Array }>;
}

/** Default page size when examples rank the whole library. */
export const DEFAULT_VISUAL_LIMIT = 50;

/** BM25 column weights: name, folders, exif, tags, caption. */
const BM25 = 'bm25(files_fts, 3.0, 1.0, 1.5, 4.0, 2.0)';

export async function searchLibrary(ctx: SearchContext, query: TextSearchQuery, feedback: FeedbackParams = DEFAULT_FEEDBACK): Promise<TextSearchAnswer> {
  const like = query.like ?? [];
  const unlike = query.unlike ?? [];
  const text = query.text?.trim() ?? '';
  const match = text ? ftsQuery(text) : null;
  // Text with nothing to look for (only punctuation or emoji) finds nothing, not every photo.
  if (text && !match) return { total: 0, hits: [] };
  const filtered = Boolean(match || query.folder || query.from || query.to || query.tags?.length);

  let candidates: { id: number; path: string; rank: number }[] | null = null;
  if (filtered || like.length + unlike.length === 0) candidates = filterRows(ctx.db, query, match);
  // Automatic tags and text in the photos answer words the typed index does not (issue 13).
  if (match && candidates) candidates = withAnnotationMatches(ctx.db, text, candidates, () => filterRows(ctx.db, query, null));

  let hits: TextSearchHit[];
  if (like.length + unlike.length > 0) {
    const positives: Float32Array[] = [];
    const negatives: Float32Array[] = [];
    const exclude = new Set<number>();
    for (const file of like) {
      const ex = await ctx.exampleVector(file);
      positives.push(ex.vector);
      if (ex.id !== null) exclude.add(ex.id);
    }
    for (const file of unlike) {
      const ex = await ctx.exampleVector(file);
      negatives.push(ex.vector);
      if (ex.id !== null) exclude.add(ex.id);
    }
    const index = ctx.searchIndex();
    const matched = [like.length ? 'like' : 'unlike', ...(match ? ['text'] : [])];
    let pool: { id: number; path: string }[];
    if (candidates) pool = candidates;
    else {
      const paths = pathsById(ctx.db);
      pool = index.allIds().flatMap((id) => (paths.has(id) ? [{ id, path: paths.get(id)! }] : []));
    }
    hits = [];
    for (const c of pool) {
      if (exclude.has(c.id)) continue;
      const v = index.vector(c.id);
      if (!v) continue;
      hits.push({ id: c.id, path: c.path, score: feedbackScore(v, positives, negatives, feedback), matched });
    }
    hits.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
  } else {
    hits = candidates!.map((c) => ({ id: c.id, path: c.path, score: match ? -c.rank : 0, matched: match ? ['text'] : [] }));
  }
  if (query.tags?.length) for (const h of hits) h.matched.push(...normaliseTags(query.tags).map((t) => `tag: ${t}`));

  const total = hits.length;
  const offset = Math.max(0, query.offset ?? 0);
  const limit = query.limit ?? (like.length + unlike.length > 0 && !filtered ? DEFAULT_VISUAL_LIMIT : total);
  return { total, hits: hits.slice(offset, offset + Math.max(0, limit)) };
}

/** Indexed photos passing the text and filters; text matches in BM25 order, others newest first. */
function filterRows(db: Db, query: TextSearchQuery, match: string | null): { id: number; path: string; rank: number }[] {
  const where: string[] = ["f.status = 'indexed'"];
  const args: unknown[] = [];
  if (match) {
    where.push('files_fts MATCH ?');
    args.push(match);
  }
  if (query.folder) {
    const root = path.resolve(query.folder);
    const under = underFolder(root, 'f.path');
    where.push(under.sql);
    args.push(...under.args);
  }
  const when = "COALESCE(f.taken_at, strftime('%Y-%m-%dT%H:%M:%fZ', f.mtime_ms / 1000.0, 'unixepoch'))";
  if (query.from) {
    where.push(`${when} >= ?`);
    args.push(dateBound(query.from, 'from'));
  }
  if (query.to) {
    where.push(`${when} < ?`);
    args.push(dateBound(query.to, 'to'));
  }
  for (const tag of normaliseTags(query.tags ?? [])) {
    where.push(HAS_TAG_SQL);
    args.push(tag);
  }
  const sql = match
    ? `SELECT f.id AS id, f.path AS path, ${BM25} AS rank FROM files_fts JOIN files f ON f.id = files_fts.rowid WHERE ${where.join(' AND ')} ORDER BY rank, f.path`
    : `SELECT f.id AS id, f.path AS path, 0 AS rank FROM files f WHERE ${where.join(' AND ')} ORDER BY ${when} DESC, f.path`;
  return db.prepare(sql).all(...args) as { id: number; path: string; rank: number }[];
}

/**
 * A user's words as an FTS5 query: each word a quoted prefix term (so FTS syntax characters in
 * the text are taken literally), all required.
 */
export function ftsQuery(text: string): string | null {
  const words = text
    .normalize('NFC')
    .split(/[\s"]+/)
    .map((w) => w.replace(/[*^():{}+-]+$/g, '').replace(/^[*^():{}+-]+/g, ''))
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}

/** "2023" → 2023-01-01 (from) / 2024-01-01 (to, exclusive); "2023-07" and "2023-07-14" alike. */
export function dateBound(value: string, side: 'from' | 'to'): string {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(value.trim());
  if (!m) throw new Error(`not a date: "${value}" (use YYYY, YYYY-MM or YYYY-MM-DD)`);
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) - 1 : 0;
  const day = m[3] ? Number(m[3]) : 1;
  // A real calendar date: 2020-13-45 is not one (Date.UTC would quietly roll it into 2021).
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  if (month < 0 || month > 11 || day < 1 || day > daysInMonth) {
    throw new Error(`not a date: "${value}" (${month < 0 || month > 11 ? 'months run from 01 to 12' : `that month has ${daysInMonth} days`})`);
  }
  let date = new Date(Date.UTC(year, month, day));
  if (side === 'to') {
    if (m[3]) date = new Date(Date.UTC(year, month, day + 1));
    else if (m[2]) date = new Date(Date.UTC(year, month + 1, 1));
    else date = new Date(Date.UTC(year + 1, 0, 1));
  }
  return date.toISOString();
}

function pathsById(db: Db): Map<number, string> {
  const rows = db.prepare("SELECT id, path FROM files WHERE status = 'indexed'").all() as { id: number; path: string }[];
  return new Map(rows.map((r) => [r.id, r.path]));
}
