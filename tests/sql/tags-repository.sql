-- tag(file, tags)
SELECT id FROM files WHERE path = ?;
INSERT OR IGNORE INTO tags (file_id, tag, added_at) VALUES (?, ?, ?);
SELECT tag FROM tags WHERE file_id = ? ORDER BY tag;

-- tagsOf(file)
SELECT id FROM files WHERE path = ?;
SELECT tag FROM tags WHERE file_id = ? ORDER BY tag;

-- allTags()
SELECT tag, COUNT(*) AS count FROM tags GROUP BY tag COLLATE NOCASE ORDER BY count DESC, tag;

-- untag(file, tags)
SELECT id FROM files WHERE path = ?;
DELETE FROM tags WHERE file_id = ? AND tag = ?;
SELECT tag FROM tags WHERE file_id = ? ORDER BY tag;

-- caption(file, text)
SELECT id FROM files WHERE path = ?;
INSERT INTO captions (file_id, caption, updated_at) VALUES (?, ?, ?) ON CONFLICT(file_id) DO UPDATE SET caption = excluded.caption, updated_at = excluded.updated_at;

-- captionOf(file)
SELECT caption FROM captions WHERE file_id = ?;
SELECT id FROM files WHERE path = ?;

-- tagsOfId(id)
SELECT tag FROM tags WHERE file_id = ? ORDER BY tag;

-- tagsStartingWith(like, limit)
SELECT tag, COUNT(*) AS count FROM tags GROUP BY tag HAVING tag LIKE ? ESCAPE '\' OR tag LIKE ? ESCAPE '\' ORDER BY count DESC, tag LIMIT ?;

-- captionOfId(id)
SELECT caption FROM captions WHERE file_id = ?;

-- restore(id, tags, caption)
INSERT OR IGNORE INTO tags (file_id, tag, added_at) VALUES (?, ?, ?);
INSERT OR REPLACE INTO captions (file_id, caption, updated_at) VALUES (?, ?, ?);
