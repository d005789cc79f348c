/**
 * The perceptual hashes of a photo's eight poses (quarter turns of it and of its mirror image;
 * imaging/view-hashes.ts), so that rotated and mirrored copies are found as duplicates. NULL for
 * photos indexed before them: the vectors' model id names the hashes' recipe, so those photos are
 * re-indexed by the next index pass.
 */
export const up = `
ALTER TABLE files ADD COLUMN view_hashes TEXT;
`;
