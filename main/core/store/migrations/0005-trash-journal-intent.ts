/**
 * The trash journal is written before a file moves: an entry starts as an 'intent' (where the file
 * is about to go) and becomes 'done' once it is in the trash and out of the index. A batch records
 * the process writing it, so that a later process can tell a crashed resolution from a running one
 * and finish or roll back its intents.
 *
 * (The journal tables as 0002 made them first, IF NOT EXISTS: a development database that skipped
 * 0002 lacks them.)
 */
export const up = `
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

ALTER TABLE trash_entries ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
ALTER TABLE trash_batches ADD COLUMN owner TEXT;
CREATE INDEX trash_entries_state ON trash_entries(state) WHERE state <> 'done';
`;
