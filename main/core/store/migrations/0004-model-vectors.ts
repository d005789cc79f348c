/**
 * Pluggable models: a file may hold vectors of two models while a library switches model (the old
 * ones keep serving queries until the new ones are complete), so vectors are keyed by
 * (file_id, model_id).
 */
export const up = `
CREATE TABLE vectors_new (
  file_id   INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  model_id  TEXT NOT NULL,
  vector    BLOB NOT NULL,
  PRIMARY KEY (file_id, model_id)
);
INSERT INTO vectors_new (file_id, model_id, vector) SELECT file_id, model_id, vector FROM vectors;
DROP TABLE vectors;
ALTER TABLE vectors_new RENAME TO vectors;
CREATE INDEX vectors_model ON vectors(model_id);
`;
