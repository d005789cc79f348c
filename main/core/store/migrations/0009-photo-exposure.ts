/**
 * Exposure facts of a photo, read from its EXIF with the other facts at index time: shutter time
 * (seconds), aperture (f-number), ISO and focal length (mm, as the lens reports it). NULL when the
 * photo does not say — and, in a library indexed before this migration, until the photo's facts
 * are read again (the next index pass re-reads the EXIF of rows lacking them, without the CNN).
 */
export const up = `
ALTER TABLE files ADD COLUMN exposure_time REAL;
ALTER TABLE files ADD COLUMN f_number REAL;
ALTER TABLE files ADD COLUMN iso INTEGER;
ALTER TABLE files ADD COLUMN focal_length REAL;
-- 1 once the exposure facts were looked for (found or not): older rows are 0 until read again.
ALTER TABLE files ADD COLUMN exposure_read INTEGER NOT NULL DEFAULT 0;
`;
