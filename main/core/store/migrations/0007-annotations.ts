/**
 * Automatic annotations (issue 13): per photo, which annotator (models + recipe) looked at which
 * content, the objects it found (one row per label, best score and its box) and the text it read
 * (in an FTS5 table of its own, so the user-typed index of 0002 stays as it is). A user's removal
 * of a wrong automatic tag is a row of its own, so re-annotation never brings the tag back.
 */
export const up = `
CREATE TABLE annotations (
  file_id       INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
  annotator     TEXT NOT NULL,
  content_hash  TEXT NOT NULL,
  text          TEXT NOT NULL DEFAULT '',
  error         TEXT,
  annotated_at  INTEGER NOT NULL
);

CREATE TABLE auto_tags (
  file_id  INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  tag      TEXT NOT NULL,
  score    REAL NOT NULL,
  box      TEXT NOT NULL,
  PRIMARY KEY (file_id, tag)
);
CREATE INDEX auto_tags_tag ON auto_tags(tag, score);

CREATE TABLE auto_tag_rejections (
  file_id      INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  tag          TEXT NOT NULL,
  rejected_at  INTEGER NOT NULL,
  PRIMARY KEY (file_id, tag)
);

CREATE VIRTUAL TABLE photo_text_fts USING fts5(text, tokenize = "unicode61 remove_diacritics 2");
CREATE TRIGGER photo_text_fts_delete AFTER DELETE ON annotations BEGIN
  DELETE FROM photo_text_fts WHERE rowid = old.file_id;
END;
`;
