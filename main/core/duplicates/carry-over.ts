/**
 * What the user said about the copies a resolve trashes goes to the photo that stays: their tags,
 * their caption (when the keeper has none), and their "not duplicates" decisions (a trashed copy
 * judged not a duplicate of some photo makes its keeper not a duplicate of it either). Read
 * before the trash moves anything, since trashed files leave the library and their notes with them.
 */
import type { Db } from '../store/database.js';
import { TagsRepository } from '../text-search/tags-repository.js';
import { DecisionsRepository } from './decisions.js';

interface Notes {
  tags: string[];
  caption: string | null;
  /** Contents the trashed copy was judged not a duplicate of. */
  notDuplicateOf: string[];
}

export class CarryOver {
  private readonly tags: TagsRepository;
  private readonly decisions: DecisionsRepository;
  private readonly notes = new Map<string, { keeper: string; notes: Notes }>();
  private readonly rowAt: (file: string) => { id: number; hash: string | null } | undefined;

  constructor(db: Db) {
    this.tags = new TagsRepository(db);
    this.decisions = new DecisionsRepository(db);
    const select = db.prepare('SELECT id, content_hash AS hash FROM files WHERE path = ?');
    this.rowAt = (file) => select.get(file) as { id: number; hash: string | null } | undefined;
  }

  /** Notes the tags, caption and decisions of `file`, to go to `keeper` if `file` is trashed. */
  remember(file: string, keeper: string): void {
    const row = this.rowAt(file);
    this.notes.set(file, {
      keeper,
      notes: {
        tags: row ? this.tags.tagsOf(row.id) : [],
        caption: row ? this.tags.captionOf(row.id) : null,
        notDuplicateOf: row?.hash ? this.decisions.partnersOf(row.hash) : [],
      },
    });
  }

  /** Gives the notes of the files that were trashed to their keepers. */
  apply(trashed: string[]): void {
    const byKeeper = new Map<string, Notes[]>();
    for (const file of trashed) {
      const noted = this.notes.get(file);
      if (noted) byKeeper.set(noted.keeper, [...(byKeeper.get(noted.keeper) ?? []), noted.notes]);
    }
    for (const [keeper, notes] of byKeeper) {
      const row = this.rowAt(keeper);
      if (!row) continue; // the keeper left the library meanwhile
      const keeperHash = row.hash;
      const tags = notes.flatMap((n) => n.tags);
      if (tags.length) this.tags.tag(row.id, tags);
      const caption = notes.find((n) => n.caption)?.caption;
      if (caption && !this.tags.captionOf(row.id)) this.tags.caption(row.id, caption);
      if (keeperHash) {
        for (const other of new Set(notes.flatMap((n) => n.notDuplicateOf))) {
          if (other !== keeperHash) this.decisions.markNotDuplicates([keeperHash, other]);
        }
      }
    }
  }
}
