/** The first schema: files and their identity, EXIF, hashes, vectors and the learned whitening. */
export const up = `
CREATE TABLE roots (
  path      TEXT PRIMARY KEY,
  added_at  INTEGER NOT NULL
);

CREATE TABLE files (
  id            INTEGER PRIMARY KEY,
  path          TEXT NOT NULL UNIQUE,
  size          INTEGER NOT NULL,
  mtime_ms      INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending', 'indexed', 'failed')),
  error         TEXT,
  content_hash  TEXT,
  format        TEXT,
  width         INTEGER,
  height        INTEGER,
  taken_at      TEXT,
  camera        TEXT,
  lens          TEXT,
  gps_lat       REAL,
  gps_lon       REAL,
  dhash         TEXT,
  phash         TEXT,
  thumbnail     TEXT,
  added_at      INTEGER NOT NULL,
  indexed_at    INTEGER
);
CREATE INDEX files_status ON files(status);
CREATE INDEX files_content_hash ON files(content_hash);

-- Raw CNN vectors (float32 little-endian), tagged with the model that made them.
CREATE TABLE vectors (
  file_id   INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
  model_id  TEXT NOT NULL,
  vector    BLOB NOT NULL
);
CREATE INDEX vectors_model ON vectors(model_id);

-- PCA-whitening learned from the library's own vectors, one per model.
CREATE TABLE whitening (
  model_id    TEXT PRIMARY KEY,
  fitted_on   INTEGER NOT NULL,
  in_dims     INTEGER NOT NULL,
  out_dims    INTEGER NOT NULL,
  power       REAL NOT NULL,
  recipe      TEXT NOT NULL,
  mean        BLOB NOT NULL,
  projection  BLOB NOT NULL,
  fitted_at   INTEGER NOT NULL
);

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
`;
