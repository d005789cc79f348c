/**
 * Watched folders: the state of each library root (online or offline since when, the device it
 * lives on, whether it is watched by polling), and an index on file size, which is how a moved or
 * copied file is recognised cheaply (a content hash is only computed when sizes collide).
 */
export const up = `
-- NULL while the folder is reachable; the time (ms) it was found missing otherwise. The files of
-- an offline root stay in the index (an unplugged drive is not a deletion).
ALTER TABLE roots ADD COLUMN offline_since INTEGER;
-- st_dev of the folder when last seen: an empty mount point on another device is an unplugged drive.
ALTER TABLE roots ADD COLUMN device INTEGER;
-- 1 = watch by polling (network drives, where file-system events do not arrive).
ALTER TABLE roots ADD COLUMN polling INTEGER NOT NULL DEFAULT 0;
-- When the folder was last reconciled with the disk (ms).
ALTER TABLE roots ADD COLUMN scanned_at INTEGER;

CREATE INDEX files_size ON files(size);
`;
