-- addRoot(root)
INSERT OR IGNORE INTO roots (path, added_at, device, polling) VALUES (?, ?, ?, ?);

-- rootRows()
SELECT * FROM roots ORDER BY path;

-- root(root)
SELECT * FROM roots WHERE path = ?;

-- setPolling(root, on)
UPDATE roots SET polling = ? WHERE path = ?;

-- setOnline(root, online)
SELECT * FROM roots WHERE path = ?;
UPDATE roots SET offline_since = ? WHERE path = ?;

-- markScanned(root)
UPDATE roots SET scanned_at = ? WHERE path = ?;

-- countsUnder(root)
SELECT status, COUNT(*) AS n FROM files WHERE (path >= ? AND path < ?) GROUP BY status;

-- indexedWithSize(size)
SELECT * FROM files WHERE size = ? AND status = 'indexed' AND content_hash IS NOT NULL;

-- byPath(path)
SELECT * FROM files WHERE path = ?;

-- byId(id)
SELECT * FROM files WHERE id = ?;

-- pathsUnder(folder)
SELECT path FROM files WHERE (path >= ? AND path < ?);

-- pendingUnder(folders)
SELECT * FROM files WHERE status = 'pending' ORDER BY path;

-- currentVersions(ids)
SELECT size, mtime_ms, path, status, indexed_at FROM files WHERE id = ?;

-- apply(removal)
SELECT id FROM files WHERE path = ?;
DELETE FROM files WHERE id = ?;
UPDATE files SET path = ?, size = ?, mtime_ms = ? WHERE id = ?;
UPDATE files SET size = ?, mtime_ms = ? WHERE id = ?;
INSERT INTO files (path, size, mtime_ms, status, error, content_hash, format, width, height, taken_at, camera, lens, gps_lat, gps_lon, exposure_time, f_number, iso, focal_length, exposure_read, dhash, phash, view_hashes, thumbnail, added_at, indexed_at) SELECT ?, ?, ?, status, error, content_hash, format, width, height, taken_at, camera, lens, gps_lat, gps_lon, exposure_time, f_number, iso, focal_length, exposure_read, dhash, phash, view_hashes, thumbnail, ?, ? FROM files WHERE id = ?;
INSERT INTO vectors (file_id, model_id, vector) SELECT ?, model_id, vector FROM vectors WHERE file_id = ?;
INSERT INTO files (path, size, mtime_ms, status, added_at) VALUES (?, ?, ?, 'pending', ?) ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, status = 'pending', error = NULL;

-- removeRoot(root)
DELETE FROM roots WHERE path = ?;
SELECT * FROM roots ORDER BY path;
SELECT id, path FROM files WHERE (path >= ? AND path < ?);
DELETE FROM files WHERE id = ?;
