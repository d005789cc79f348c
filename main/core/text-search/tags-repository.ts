/**
 * User tags and captions: stored in the library database only, never written into the photos.
 * Tags compare without regard to case ("Beach" and "beach" are one tag); the FTS index follows
 * them through triggers (migration 0002). The one home of the `tags` and `captions` tables' SQL:
 * suggestions, search filters and the trash's snapshots come here for it.
 */
import type { Db } from '../store/database.js';
import type { TagCount } from '../types.js';

export const MAX_TAG_LENGTH = 100;

/** A filter of a query over `files f`: the photo has the tag bound to its `?` (search-service.ts). */
export const HAS_TAG_SQL = 'EXISTS (SELECT 1 FROM tags t WHERE t.file_id = f.id AND t.tag = ?)';

export class TagsRepository {
  constructor(private readonly db: Db) {}

  /** Refuses to write notes for a photo the library does not have. */
  private assertPhoto(id: number): void {
    if (!this.db.prepare('SELECT 1 FROM files WHERE id = ?').get(id)) throw new Error(`not a photo of this library: photo ${id}`);
  }

  /** Adds tags to a photo (by file id); returns its tags afterwards. */
  tag(id: number, tags: string[]): string[] {
    this.assertPhoto(id);
    const insert = this.db.prepare('INSERT OR IGNORE INTO tags (file_id, tag, added_at) VALUES (?, ?, ?)');
    const now = Date.now();
    this.db.transaction(() => {
      for (const tag of normaliseTags(tags)) insert.run(id, tag, now);
    })();
    return this.tagsOf(id);
  }

  /** Removes tags from a photo; returns its tags afterwards. */
  untag(id: number, tags: string[]): string[] {
    this.assertPhoto(id);
    const remove = this.db.prepare('DELETE FROM tags WHERE file_id = ? AND tag = ?');
    this.db.transaction(() => {
      for (const tag of normaliseTags(tags)) remove.run(id, tag);
    })();
    return this.tagsOf(id);
  }

  /** A photo's tags, by file id. */
  tagsOf(id: number): string[] {
    return (this.db.prepare('SELECT tag FROM tags WHERE file_id = ? ORDER BY tag').all(id) as { tag: string }[]).map((r) => r.tag);
  }

  /** Every tag in use, most used first. */
  allTags(): TagCount[] {
    return this.db
      .prepare('SELECT tag, COUNT(*) AS count FROM tags GROUP BY tag COLLATE NOCASE ORDER BY count DESC, tag')
      .all() as TagCount[];
  }

  /**
   * The user tags a typed word begins, or begins a word of (`like`: the word LIKE-escaped with
   * backslashes), with how many photos carry each, most used first (annotation/tag-suggestions.ts).
   */
  tagsStartingWith(like: string, limit: number): TagCount[] {
    // Grouped down the (case-blind) tag index first, so the words are matched once per distinct tag.
    return this.db
      .prepare(
        `SELECT tag, COUNT(*) AS count FROM tags GROUP BY tag
       HAVING tag LIKE ? ESCAPE '\\' OR tag LIKE ? ESCAPE '\\'
       ORDER BY count DESC, tag LIMIT ?`,
      )
      .all(`${like}%`, `% ${like}%`, limit) as TagCount[];
  }

  /** Sets (or with empty text, removes) a photo's caption. */
  caption(id: number, text: string | null): void {
    this.assertPhoto(id);
    const caption = (text ?? '').trim();
    if (!caption) {
      this.db.prepare('DELETE FROM captions WHERE file_id = ?').run(id);
      return;
    }
    this.db
      .prepare('INSERT INTO captions (file_id, caption, updated_at) VALUES (?, ?, ?) ON CONFLICT(file_id) DO UPDATE SET caption = excluded.caption, updated_at = excluded.updated_at')
      .run(id, caption, Date.now());
  }

  /** A photo's caption, by file id. */
  captionOf(id: number): string | null {
    const row = this.db.prepare('SELECT caption FROM captions WHERE file_id = ?').get(id) as { caption: string } | undefined;
    return row?.caption ?? null;
  }

  /** Gives a file re-entered from the trash (under `id`) the tags and caption it had. */
  restore(id: number, tags: string[], caption: string | null): void {
    const addTag = this.db.prepare('INSERT OR IGNORE INTO tags (file_id, tag, added_at) VALUES (?, ?, ?)');
    for (const tag of tags) addTag.run(id, tag, Date.now());
    if (caption !== null) {
      this.db.prepare('INSERT OR REPLACE INTO captions (file_id, caption, updated_at) VALUES (?, ?, ?)').run(id, caption, Date.now());
    }
  }
}

/** Trims, collapses inner whitespace, drops empties and control characters, de-duplicates. */
export function normaliseTags(tags: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.replace(/[\u0000-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim();
    if (!tag) continue;
    if (tag.length > MAX_TAG_LENGTH) throw new Error(`tag too long (over ${MAX_TAG_LENGTH} characters): ${tag.slice(0, 20)}…`);
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}
