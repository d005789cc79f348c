/**
 * How well the product's clusters (`likeness clusters`, at each level) recover labelled folders:
 * BCubed precision / recall / F1 over every photo (a photo in no cluster is its own singleton) and
 * NMI over the clustered photos, with the number of clusters and the share of photos they hold.
 * Used by `likeness eval` and the `clusters-caltech` bench.
 */
import { CLUSTER_LEVELS, type ClusterLevelName } from './levels.js';
import { bcubed, normalisedMutualInformation } from './metrics.js';
import type { PhotoClustersAnswer, PhotoClustersQuery } from '../types.js';

export interface ClustersScore {
  level: ClusterLevelName;
  clusters: number;
  /** Share of the photos in some cluster. */
  coverage: number;
  largest: number;
  bcubedPrecision: number;
  bcubedRecall: number;
  bcubedF1: number;
  /** NMI against the labels, over the clustered photos only. */
  nmi: number;
  seconds: number;
}

export async function scoreClusters(
  clusters: (query: PhotoClustersQuery) => Promise<PhotoClustersAnswer>,
  labelByPath: Map<string, string>,
): Promise<ClustersScore[]> {
  const paths = [...labelByPath.keys()];
  const scores: ClustersScore[] = [];
  for (const level of Object.keys(CLUSTER_LEVELS) as ClusterLevelName[]) {
    const answer = await clusters({ level });
    const clusterOf = new Map<string, number>();
    answer.clusters.forEach((c, k) => c.paths.forEach((p) => clusterOf.set(p, k)));
    const b = bcubed(paths.map((p) => labelByPath.get(p)!), paths.map((p) => clusterOf.get(p)));
    const clustered = paths.filter((p) => clusterOf.has(p));
    scores.push({
      level,
      clusters: answer.clusters.length,
      coverage: clustered.length / Math.max(1, paths.length),
      largest: answer.clusters[0]?.size ?? 0,
      bcubedPrecision: b.precision,
      bcubedRecall: b.recall,
      bcubedF1: b.f1,
      nmi: normalisedMutualInformation(clustered.map((p) => labelByPath.get(p)!), clustered.map((p) => clusterOf.get(p)!)),
      seconds: answer.seconds,
    });
  }
  return scores;
}
