/**
 * Clusters at scale: average-linkage clustering of the synthetic 10k and 100k libraries of
 * bench/duplicates.ts (vectors drawn from n/20 latent categories), timed end to end (k-NN graph
 * included), with the share of photos clustered and the NMI against the latent categories.
 * The cost of an O(n²) agglomeration is estimated beside it from the exact-search throughput.
 */
import { clusterVectors } from '../main/core/clusters/average-linkage.js';
import { exactNeighbours } from '../main/core/clusters/neighbours.js';
import { normalisedMutualInformation } from '../main/core/clusters/metrics.js';
import { syntheticLibrary } from './duplicates.js';

export async function benchClusters(sizes: number[] = [10_000, 100_000]): Promise<string[]> {
  const lines: string[] = [];
  for (const n of sizes) {
    const lib = syntheticLibrary(n);
    const t0 = performance.now();
    const result = clusterVectors(lib.matrix, lib.dims);
    const seconds = (performance.now() - t0) / 1000;
    const assigned = new Int32Array(n).fill(-1);
    result.clusters.forEach((c, k) => c.members.forEach((m) => (assigned[m] = k)));
    const members = [...assigned.keys()].filter((i) => assigned[i] >= 0);
    const nmi = normalisedMutualInformation(
      members.map((i) => lib.labels[i]),
      members.map((i) => assigned[i]),
    );
    // Baseline: all pairwise similarities, the first step of an exact agglomeration.
    const sample = Math.min(500, n);
    const t1 = performance.now();
    exactNeighbours(lib.matrix, lib.matrix.subarray(0, sample * lib.dims), lib.dims, 2);
    const allPairs = ((performance.now() - t1) / 1000) * (n / sample);
    lines.push(
      `${n.toLocaleString('en')} photos: clusters ${seconds.toFixed(1)} s (threshold ${result.threshold.toFixed(3)}) — ` +
        `${result.clusters.length.toLocaleString('en')} clusters holding ${((100 * members.length) / n).toFixed(1)} % of the photos, ` +
        `NMI ${nmi.toFixed(3)} vs the latent categories; all pairwise similarities alone would take ~${allPairs.toFixed(0)} s`,
    );
  }
  return lines;
}
