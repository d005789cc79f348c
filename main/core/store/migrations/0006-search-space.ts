/**
 * A persistent search space: each photo's search-space vector (signed sqrt, L2, whitened, L2:
 * 256 float32s) stored under the whitening fit that made it, so that a new process opens the
 * space instead of recomputing it from the raw 1792-d vectors.
 *
 * - `whitening.space_id` names the fit's space; a row of `search_vectors` belongs to a space.
 *   A refit writes its whole new space first and switches `space_id` last (one transaction), so
 *   the old space answers until the new one is complete, and a crash mid-way leaves the old.
 * - The triggers drop a file's search vectors whenever its raw vector of that model is written or
 *   removed, in the same transaction: a stored search vector is never stale. What is missing
 *   (a crash between the two writes) is computed again when the space is opened.
 * - `seq` (AUTOINCREMENT: never reused) identifies one version of one row: the approximate
 *   index keys its entries by it, so an entry whose row has since been rewritten is recognised.
 *
 * `neighbour_lists` keeps each photo's nearest neighbours in a space (the graph duplicates and
 * clusters start from), tagged with the `seq` of the photo's vector it was computed for: a list
 * whose photo has a newer vector is computed again; removed neighbours are skipped when read.
 *
 * And folder queries (browse, timeline, duplicates and clusters of a folder, status per root) are
 * path ranges (store/folder-range.ts): with the status first, (status, path) serves both
 * "indexed photos under this folder" and "indexed photos by name" as one index seek.
 */
export const up = `
CREATE INDEX files_status_path ON files(status, path);
DROP INDEX files_status;
ALTER TABLE whitening ADD COLUMN space_id TEXT;
UPDATE whitening SET space_id = 'fit-' || model_id || '-' || fitted_at WHERE space_id IS NULL;
CREATE TABLE search_vectors (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  model_id  TEXT NOT NULL,
  space_id  TEXT NOT NULL,
  file_id   INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  vector    BLOB NOT NULL,
  UNIQUE (model_id, space_id, file_id)
);
CREATE INDEX search_vectors_file ON search_vectors(file_id);
CREATE TABLE neighbour_lists (
  model_id    TEXT NOT NULL,
  space_id    TEXT NOT NULL,
  file_id     INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  neighbours  BLOB NOT NULL,
  PRIMARY KEY (model_id, space_id, file_id)
) WITHOUT ROWID;
CREATE INDEX neighbour_lists_file ON neighbour_lists(file_id);
CREATE TRIGGER search_vectors_on_vector_insert AFTER INSERT ON vectors BEGIN
  DELETE FROM search_vectors WHERE file_id = new.file_id AND model_id = new.model_id;
END;
CREATE TRIGGER search_vectors_on_vector_update AFTER UPDATE ON vectors BEGIN
  DELETE FROM search_vectors WHERE file_id = old.file_id AND model_id = old.model_id;
  DELETE FROM search_vectors WHERE file_id = new.file_id AND model_id = new.model_id;
END;
CREATE TRIGGER search_vectors_on_vector_delete AFTER DELETE ON vectors BEGIN
  DELETE FROM search_vectors WHERE file_id = old.file_id AND model_id = old.model_id;
  DELETE FROM neighbour_lists WHERE file_id = old.file_id AND model_id = old.model_id;
END;
`;
