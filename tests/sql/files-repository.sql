-- roots()
SELECT path FROM roots ORDER BY path;

-- filesUnder(folder)
SELECT * FROM files WHERE (path >= ? AND path < ?);

-- byPath(path)
SELECT * FROM files WHERE path = ?;

-- byId(id)
SELECT * FROM files WHERE id = ?;

-- byIds(ids)
SELECT * FROM files WHERE id IN (SELECT value FROM json_each(?));

-- pathsOf(ids)
SELECT id, path FROM files WHERE id IN (SELECT value FROM json_each(?));

-- insertPending(files)
INSERT INTO files (path, size, mtime_ms, status, added_at) VALUES (?, ?, ?, 'pending', ?) ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, status = 'pending', error = NULL;

-- markStaleAsPending(model)
UPDATE files SET status = 'pending' WHERE status = 'indexed' AND id NOT IN (SELECT file_id FROM vectors) AND id NOT IN (SELECT file_id FROM vectors WHERE model_id = ?);

-- lackingVectorUnder(model, folders)
SELECT * FROM files WHERE status = 'indexed' AND id NOT IN (SELECT file_id FROM vectors WHERE model_id = ?) ORDER BY path;

-- countLackingVector(model)
SELECT COUNT(*) AS n FROM files f WHERE status = 'indexed' AND NOT EXISTS (SELECT 1 FROM vectors v WHERE v.file_id = f.id AND v.model_id = ?);

-- mostCommonModelExcept(model)
SELECT v.model_id AS model FROM vectors v JOIN files f ON f.id = v.file_id WHERE f.status = 'indexed' AND v.model_id != ? GROUP BY v.model_id ORDER BY COUNT(*) DESC LIMIT 1;

-- deleteVectorsExcept(model)
DELETE FROM vectors WHERE model_id != ?;

-- lackingExposure(folders)
SELECT id, path FROM files WHERE status = 'indexed' AND exposure_read = 0 ORDER BY path;

-- saveResults([], failed)
UPDATE files SET status = 'indexed', error = NULL, content_hash = ?, format = ?, width = ?, height = ?, taken_at = ?, camera = ?, lens = ?, gps_lat = ?, gps_lon = ?, exposure_time = ?, f_number = ?, iso = ?, focal_length = ?, exposure_read = 1, dhash = ?, phash = ?, view_hashes = ?, thumbnail = ?, indexed_at = ? WHERE id = ?;
INSERT INTO vectors (file_id, model_id, vector) VALUES (?, ?, ?) ON CONFLICT(file_id, model_id) DO UPDATE SET vector = excluded.vector;
UPDATE files SET status = 'failed', error = ?, indexed_at = ? WHERE id = ?;
DELETE FROM vectors WHERE file_id = ?;

-- failures()
SELECT path, error AS reason FROM files WHERE status = 'failed' ORDER BY path;

-- thumbnailsInUse()
SELECT DISTINCT thumbnail FROM files WHERE thumbnail IS NOT NULL;

-- forEachVector(model)
SELECT in_dims FROM whitening WHERE model_id = ?;
SELECT length(vector) AS n FROM vectors WHERE model_id = ? GROUP BY n ORDER BY COUNT(*) DESC LIMIT 1;
SELECT v.file_id AS id, v.vector AS vector FROM vectors v JOIN files f ON f.id = v.file_id WHERE v.model_id = ? AND f.status = 'indexed';

-- vectorOf(id, model)
SELECT vector FROM vectors WHERE file_id = ? AND model_id = ?;
SELECT in_dims FROM whitening WHERE model_id = ?;
SELECT length(vector) AS n FROM vectors WHERE model_id = ? GROUP BY n ORDER BY COUNT(*) DESC LIMIT 1;

-- vectorDims(model)
SELECT in_dims FROM whitening WHERE model_id = ?;
SELECT length(vector) AS n FROM vectors WHERE model_id = ? GROUP BY n ORDER BY COUNT(*) DESC LIMIT 1;

-- vectorModels()
SELECT DISTINCT model_id FROM vectors ORDER BY model_id;

-- markForReindex(ids)
SELECT path FROM files WHERE id = ?;
UPDATE files SET status = 'pending', error = ? WHERE id = ?;
DELETE FROM vectors WHERE file_id = ?;

-- vectorCount(model)
SELECT COUNT(*) AS n FROM vectors WHERE model_id = ?;

-- whitening(model)
SELECT * FROM whitening WHERE model_id = ?;

-- listPhotos(folder, sort)
SELECT COUNT(*) AS n FROM files WHERE status = 'indexed' AND (path >= ? AND path < ?);
SELECT * FROM files WHERE status = 'indexed' AND (path >= ? AND path < ?) ORDER BY COALESCE(taken_at, strftime('%Y-%m-%dT%H:%M:%fZ', mtime_ms / 1000.0, 'unixepoch')) DESC, path LIMIT ? OFFSET ?;

-- folders()
SELECT path FROM files WHERE status = 'indexed';

-- counts()
SELECT (SELECT COUNT(*) FROM files WHERE status = 'indexed') AS indexed, (SELECT COUNT(*) FROM files WHERE status = 'pending') AS pending, (SELECT COUNT(*) FROM files WHERE status = 'failed') AS failed;
