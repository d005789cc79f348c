/**
 * Complete linkage inside one connected component of judged pairs: two clusters merge only if
 * every cross pair passes the edge's rule (no A~B~C chaining when A and C are apart).
 */
import { Rel, type Judgement } from './judgement.js';

/**
 * Agglomerates `members` along `pairs` (near pairs first, closest first; then similar pairs,
 * most similar first): two clusters merge only when every cross pair passes the edge's rule.
 */
export function completeLinkage(
  members: number[],
  pairs: [number, number][],
  relOf: (i: number, j: number) => Rel,
  judge: (i: number, j: number) => Judgement,
  level: number,
  tolerated: (i: number, j: number) => boolean = () => false,
  /** Near-phase merges may leave this share of cross pairs unverified (never a forbidden one). */
  misses?: { share: number; forbidden: (i: number, j: number) => boolean },
): number[][] {
  const clusterOf = new Map<number, number[]>();
  for (const m of members) clusterOf.set(m, [m]);
  const edges = pairs
    .map(([i, j]) => ({ i, j, rel: relOf(i, j), jd: judge(i, j) }))
    .filter((e) => e.rel === Rel.Near || (level >= 2 && e.rel === Rel.Similar));
  edges.sort((x, y) => {
    if (x.rel !== y.rel) return y.rel - x.rel; // Near (2) before Similar (1)
    return x.rel === Rel.Near ? (x.jd.distance || 0) - (y.jd.distance || 0) : y.jd.cosine - x.jd.cosine;
  });
  // Near groups are final once formed: similar shots never absorb them, so a group is the same
  // group with the same tier whichever loosest tier was asked for (the CLI asks for near by
  // default, the UI for similar; they showed one group as "near" and as "Similar shot").
  const frozen = new Set<number[]>();
  for (const phase of level >= 2 ? [Rel.Near, Rel.Similar] : [Rel.Near]) {
    if (phase === Rel.Similar) for (const c of clusterOf.values()) if (c.length > 1) frozen.add(c);
    for (const e of edges) {
      if (phase === Rel.Near && e.rel !== Rel.Near) continue;
      const a = clusterOf.get(e.i)!;
      const b = clusterOf.get(e.j)!;
      if (a === b || frozen.has(a) || frozen.has(b)) continue;
      let ok = true;
      let missesLeft = phase === Rel.Near && misses ? Math.floor(misses.share * a.length * b.length) : 0;
      for (const x of a) {
        for (const y of b) {
          const r = relOf(x, y);
          if (phase === Rel.Near && r !== Rel.Near && tolerated(x, y)) continue;
          if (r === Rel.None || r === Rel.Check || (phase === Rel.Near && r !== Rel.Near)) {
            if (missesLeft > 0 && !misses!.forbidden(x, y)) {
              missesLeft--;
              continue;
            }
            ok = false;
            break;
          }
        }
        if (!ok) break;
      }
      if (!ok) continue;
      const merged = a.concat(b);
      for (const x of merged) clusterOf.set(x, merged);
    }
  }
  return [...new Set(clusterOf.values())];
}

/** Whether all pairs of a cluster (but `share` of them, as the near-phase merges allow) are near. */
export function nearCluster(cluster: number[], near: (a: number, b: number) => boolean, share: number): boolean {
  let misses = 0;
  for (let a = 0; a < cluster.length; a++) for (let b = a + 1; b < cluster.length; b++) if (!near(cluster[a], cluster[b])) misses++;
  return misses <= Math.floor((share * cluster.length * (cluster.length - 1)) / 2);
}
