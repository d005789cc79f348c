/**
 * People (issue 18): per photo, which face model looked at which content (`face_scans`), the
 * faces it found (box, score, descriptor) and the person each face is in. A person's name and
 * the user's corrections live here too: `pinned` marks a face the user placed (named, merged or
 * moved), which clustering never moves, and `face_rejections` remembers "not this person".
 */
export const up = `
CREATE TABLE face_scans (
  file_id       INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
  model         TEXT NOT NULL,
  content_hash  TEXT NOT NULL,
  error         TEXT,
  scanned_at    INTEGER NOT NULL
);

CREATE TABLE people (
  id          INTEGER PRIMARY KEY,
  name        TEXT,
  created_at  INTEGER NOT NULL
);

CREATE TABLE faces (
  id         INTEGER PRIMARY KEY,
  file_id    INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  box        TEXT NOT NULL,
  score      REAL NOT NULL,
  vector     BLOB NOT NULL,
  person_id  INTEGER REFERENCES people(id) ON DELETE SET NULL,
  pinned     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX faces_file ON faces(file_id);
CREATE INDEX faces_person ON faces(person_id);

CREATE TABLE face_rejections (
  face_id    INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
  person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  PRIMARY KEY (face_id, person_id)
);
`;
