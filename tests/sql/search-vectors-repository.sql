-- put(model, space, rows)
DELETE FROM search_vectors WHERE model_id = ? AND space_id = ? AND file_id = ?;
INSERT INTO search_vectors (model_id, space_id, file_id, vector) VALUES (?, ?, ?, ?);

-- forEach(model, space)
SELECT s.file_id AS id, s.seq AS seq, s.vector AS bytes FROM search_vectors s JOIN files f ON f.id = s.file_id WHERE s.model_id = ? AND s.space_id = ? AND f.status = 'indexed';

-- count(model, space)
SELECT COUNT(*) AS n FROM search_vectors WHERE model_id = ? AND space_id = ?;

-- drop(model, space, ids)
DELETE FROM search_vectors WHERE model_id = ? AND space_id = ? AND file_id = ?;

-- dropOtherSpaces(model, keep)
DELETE FROM neighbour_lists WHERE model_id = ? AND space_id != ?;
DELETE FROM search_vectors WHERE model_id = ? AND space_id != ?;
