-- tag(id, tags)
SELECT 1 FROM files WHERE id = ?;
INSERT OR IGNORE INTO tags (file_id, tag, added_at) VALUES (?, ?, ?);
SELECT tag FROM tags WHERE file_id = ? ORDER BY tag;

-- tagsOf(id)
SELECT tag FROM tags WHERE file_id = ? ORDER BY tag;

-- allTags()
SELECT tag, COUNT(*) AS count FROM tags GROUP BY tag COLLATE NOCASE ORDER BY count DESC, tag;

-- untag(id, tags)
SELECT 1 FROM files WHERE id = ?;
DELETE FROM tags WHERE file_id = ? AND tag = ?;
SELECT tag FROM tags WHERE file_id = ? ORDER BY tag;

-- caption(id, text)
SELECT 1 FROM files WHERE id = ?;
INSERT INTO captions (file_id, caption, updated_at) VALUES (?, ?, ?) ON CONFLICT(file_id) DO UPDATE SET caption = excluded.caption, updated_at = excluded.updated_at;

-- captionOf(id)
SELECT caption FROM captions WHERE file_id = ?;

-- tagsStartingWith(like, limit)
SELECT tag, COUNT(*) AS count FROM tags GROUP BY tag HAVING tag LIKE ? ESCAPE '\' OR tag LIKE ? ESCAPE '\' ORDER BY count DESC, tag LIMIT ?;

-- restore(id, tags, caption)
INSERT OR IGNORE INTO tags (file_id, tag, added_at) VALUES (?, ?, ?);
INSERT OR REPLACE INTO captions (file_id, caption, updated_at) VALUES (?, ?, ?);
