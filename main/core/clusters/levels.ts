/**
 * The granularity of clusters a user can ask for (`likeness clusters --level`, the Clusters view):
 * a name or a number, turned into the `granularity` of ClusterParams (1 = the calibrated default;
 * higher: smaller, tighter clusters holding fewer photos; lower: larger, looser ones covering more photos).
 *
 * On caltech101-dev (1,000 photos, 100 categories; bench `clusters-caltech`): finer 171 clusters
 * holding 60 % of the photos, BCubed precision 0.86; default 150 clusters, 78 %, 0.68; coarser
 * 117 clusters, 88 %, 0.51, the largest 22 photos.
 */
export const CLUSTER_LEVELS = { finer: 1.2, default: 1, coarser: 0.85 } as const;
export type ClusterLevelName = keyof typeof CLUSTER_LEVELS;
export const MIN_GRANULARITY = 0.5;
export const MAX_GRANULARITY = 2;

/** A level name or number as a granularity; null when it is neither (the caller says so in words). */
export function granularityOf(level: string | number): number | null {
  if (typeof level === 'number') return level >= MIN_GRANULARITY && level <= MAX_GRANULARITY ? level : null;
  if (Object.hasOwn(CLUSTER_LEVELS, level)) return CLUSTER_LEVELS[level as ClusterLevelName];
  const n = Number(level);
  return level.trim() !== '' && Number.isFinite(n) ? granularityOf(n) : null;
}
