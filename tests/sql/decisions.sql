-- markNotDuplicates(hashes)
INSERT OR IGNORE INTO not_duplicates (hash_a, hash_b, decided_at) VALUES (?, ?, ?);

-- partnersOf(hash)
SELECT hash_a, hash_b FROM not_duplicates WHERE hash_a = ? OR hash_b = ?;

-- all()
SELECT hash_a, hash_b FROM not_duplicates;

-- forget(hashes)
DELETE FROM not_duplicates WHERE hash_a = ? AND hash_b = ?;
