-- set(key, value)
INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value;

-- get(key)
SELECT value FROM settings WHERE key = ?;

-- setJson(key, value)
INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value;

-- getJson(key)
SELECT value FROM settings WHERE key = ?;
