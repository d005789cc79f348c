/**
 * Duplicates, tags and search: user tags and captions (kept in the database, never written into
 * the photos), "not duplicates" decisions keyed by content hashes (so they survive moves and
 * renames), the trash journal that makes a resolution undoable, and an FTS5 index over file name,
 * folders, EXIF, tags and captions kept in step with `files` by triggers (rows arrive as
 * 'pending' and gain their EXIF when indexed: the update trigger follows them).
 *
 * Written with IF NOT EXISTS throughout, so applying it to a database that has some of it is harmless.
 */

/** SQL for a file's name, folder path and EXIF words, from the `files` row aliased `r`. */
const NAME = (r: string) =>
  `substr(replace(${r}.path, '\\', '/'), length(rtrim(replace(${r}.path, '\\', '/'), replace(replace(${r}.path, '\\', '/'), '/', ''))) + 1)`;
const FOLDERS = (r: string) => `rtrim(replace(${r}.path, '\\', '/'), replace(replace(${r}.path, '\\', '/'), '/', ''))`;
const MONTHS = ['january jan', 'february feb', 'march mar', 'april apr', 'may', 'june jun', 'july jul', 'august aug', 'september sep sept', 'october oct', 'november nov', 'december dec'];
const MONTH = (r: string) =>
  `CASE substr(${r}.taken_at, 6, 2) ${MONTHS.map((m, i) => `WHEN '${String(i + 1).padStart(2, '0')}' THEN '${m}'`).join(' ')} ELSE '' END`;
const EXIF = (r: string) =>
  `trim(coalesce(${r}.camera, '') || ' ' || coalesce(${r}.lens, '') || ' ' || coalesce(substr(${r}.taken_at, 1, 10), '') || ' ' || ${MONTH(r)})`;
const TAGS = (id: string) => `coalesce((SELECT group_concat(tag, ' ') FROM tags WHERE file_id = ${id}), '')`;
const CAPTION = (id: string) => `coalesce((SELECT caption FROM captions WHERE file_id = ${id}), '')`;

export const up = `
CREATE TABLE IF NOT EXISTS tags (
  file_id   INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  tag       TEXT NOT NULL COLLATE NOCASE,
  added_at  INTEGER NOT NULL,
  PRIMARY KEY (file_id, tag)
);
CREATE INDEX IF NOT EXISTS tags_tag ON tags(tag);

CREATE TABLE IF NOT EXISTS captions (
  file_id     INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
  caption     TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- "These are not duplicates", remembered per pair of contents (hash_a <= hash_b).
CREATE TABLE IF NOT EXISTS not_duplicates (
  hash_a      TEXT NOT NULL,
  hash_b      TEXT NOT NULL,
  decided_at  INTEGER NOT NULL,
  PRIMARY KEY (hash_a, hash_b),
  CHECK (hash_a <= hash_b)
);

-- Thumbnail alignment checks already made (they cost milliseconds each), per pair of contents.
CREATE TABLE IF NOT EXISTS alignment_checks (
  hash_a      TEXT NOT NULL,
  hash_b      TEXT NOT NULL,
  intensity   REAL NOT NULL,
  detail      REAL NOT NULL,
  checked_at  INTEGER NOT NULL,
  PRIMARY KEY (hash_a, hash_b)
);

-- One batch per resolution (what "undo" reverts), one entry per file sent to the trash, with
-- enough of its index row to put it back without re-indexing.
CREATE TABLE IF NOT EXISTS trash_batches (
  id          INTEGER PRIMARY KEY,
  created_at  INTEGER NOT NULL,
  undone_at   INTEGER,
  note        TEXT
);
CREATE TABLE IF NOT EXISTS trash_entries (
  id             INTEGER PRIMARY KEY,
  batch_id       INTEGER NOT NULL REFERENCES trash_batches(id) ON DELETE CASCADE,
  original_path  TEXT NOT NULL,
  method         TEXT NOT NULL,
  trashed_path   TEXT,
  info_path      TEXT,
  content_hash   TEXT,
  file_row       TEXT,
  model_id       TEXT,
  vector         BLOB,
  tags           TEXT,
  caption        TEXT,
  restored_at    INTEGER,
  restored_to    TEXT
);
CREATE INDEX IF NOT EXISTS trash_entries_batch ON trash_entries(batch_id);

CREATE VIRTUAL TABLE IF NOT EXISTS files_fts USING fts5(
  name, folders, exif, tags, caption,
  tokenize = "unicode61 remove_diacritics 2"
);

CREATE TRIGGER IF NOT EXISTS files_fts_insert AFTER INSERT ON files BEGIN
  INSERT INTO files_fts (rowid, name, folders, exif, tags, caption)
  VALUES (new.id, ${NAME('new')}, ${FOLDERS('new')}, ${EXIF('new')}, ${TAGS('new.id')}, ${CAPTION('new.id')});
END;
CREATE TRIGGER IF NOT EXISTS files_fts_update AFTER UPDATE OF path, camera, lens, taken_at ON files BEGIN
  UPDATE files_fts SET name = ${NAME('new')}, folders = ${FOLDERS('new')}, exif = ${EXIF('new')} WHERE rowid = new.id;
END;
CREATE TRIGGER IF NOT EXISTS files_fts_delete AFTER DELETE ON files BEGIN
  DELETE FROM files_fts WHERE rowid = old.id;
END;
CREATE TRIGGER IF NOT EXISTS tags_fts_insert AFTER INSERT ON tags BEGIN
  UPDATE files_fts SET tags = ${TAGS('new.file_id')} WHERE rowid = new.file_id;
END;
CREATE TRIGGER IF NOT EXISTS tags_fts_delete AFTER DELETE ON tags BEGIN
  UPDATE files_fts SET tags = ${TAGS('old.file_id')} WHERE rowid = old.file_id;
END;
CREATE TRIGGER IF NOT EXISTS captions_fts_insert AFTER INSERT ON captions BEGIN
  UPDATE files_fts SET caption = new.caption WHERE rowid = new.file_id;
END;
CREATE TRIGGER IF NOT EXISTS captions_fts_update AFTER UPDATE ON captions BEGIN
  UPDATE files_fts SET caption = new.caption WHERE rowid = new.file_id;
END;
CREATE TRIGGER IF NOT EXISTS captions_fts_delete AFTER DELETE ON captions BEGIN
  UPDATE files_fts SET caption = '' WHERE rowid = old.file_id;
END;

-- Files indexed before this migration.
INSERT INTO files_fts (rowid, name, folders, exif, tags, caption)
  SELECT f.id, ${NAME('f')}, ${FOLDERS('f')}, ${EXIF('f')}, '', '' FROM files f
  WHERE f.id NOT IN (SELECT rowid FROM files_fts);
`;
