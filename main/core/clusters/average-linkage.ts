/**
 * Clusters of look-alike photos, with no number of clusters given: average-linkage agglomeration
 * in the whitened cosine space, stopped at a similarity threshold.
 *
 * - Average linkage between clusters A and B (the mean cosine over all cross pairs) is exactly
 *   (ΣA · ΣB) / (|A|·|B|) for unit vectors, so each cluster carries only its vector sum and a
 *   merge costs O(dims) per neighbouring cluster.
 * - Which clusters may merge comes from the k-nearest-neighbour graph (HNSW at scale), so the
 *   work is O(n·k·dims), not O(n²): 100k photos cluster in seconds, not hours.
 * - Merging stops when the best average similarity falls below the threshold; what never
 *   reaches it stays unclustered (photos that resemble nothing).
 * - The threshold adapts to the library within calibrated bounds: the cosine to the nearest
 *   neighbour at the `coverage` quantile (how close the less typical photos come to anything),
 *   clamped to [minThreshold, maxThreshold]. 0.22 is about where a nearest neighbour found among
 *   a thousand unrelated photos lies in this 256-d space (noise); below it nothing "resembles".
 * - Established clusters keep merging a little further (groupFactor): averages over several
 *   pairs are steadier than one photo's similarity, and members of one category are on average
 *   less alike than nearest neighbours. Without it, weak features leave most clusters as pairs.
 *
 * groupFactor 0.6 (was 0.8) was chosen on half of the caltech101-dev categories (50 × 10 photos)
 * and checked on the other half: BCubed F1 (photos in no cluster count as singletons) tune 0.456 →
 * 0.483, held-out half 0.430 → 0.471, all 100 categories 0.417 → 0.450 (precision 0.757 → 0.683,
 * recall 0.288 → 0.335; 218 → 150 clusters; NMI over the clustered photos 0.828 → 0.813).
 * Tried on the same vectors and not kept (bench `clusters-caltech`, the helper's sweep):
 * - Louvain communities (modularity or constant Potts) on the k-NN graph with
 *   cosine, shared-neighbour or unit weights, union or mutual k-NN, k 5/10/16: best 0.487 on the
 *   tuning half but 0.43 on all 100 categories — more categories bring more confusers, and the
 *   graph chains them; average linkage's all-pairs mean resists chaining.
 * - A merge level that falls with cluster size (threshold·m^-β): no better than a constant factor.
 * - Average linkage on vectors smoothed over the graph (database-side augmentation, 5 neighbours):
 *   +0.008 on all categories, and a shift of the threshold scale: left to the search space.
 * If the search space changes (a smoothed or wider space), re-check the bounds with the bench: on
 * smoothed vectors (cosines higher: nearest-neighbour quantile 0.59) the 0.35 cap binds and F1
 * falls to 0.394, where the quantile alone gives 0.458; in a 512-d whitening (quantile 0.20) the
 * 0.22 floor binds a little (0.437 vs 0.443). Removing the cap fails the synthetic tight groups
 * (their least typical members then stay out), and the scale-free bounds tried (the 99th
 * percentile of random pairs; their median + √(2 ln n)·σ) followed the mix of photos, not noise.
 *
 * Measured (whitened MobileNetV2 vectors; NMI over the clustered photos against folder labels):
 * - caltech101-dev (below, and `npm run bench -- clusters-caltech`).
 * - 100k synthetic photos (bench `clusters`, one k-NN graph shared, 2 loaded cores): the merging
 *   itself 39.1 s at groupFactor 0.6 against 37.7 s at 0.8 in the same run.
 * - cifar10-test-1000 (10 classes, 32 px): threshold 0.28, 235 clusters, 76 % of photos
 *   clustered, NMI 0.42, purity 0.64 at groupFactor 0.8; at 0.6 148 clusters, 76 %, NMI 0.385,
 *   purity 0.567, BCubed F1 0.041 → 0.057 (ten classes of 100: every F1 is small); without
 *   groupFactor 298 clusters (two thirds pairs), NMI 0.45; fixed thresholds 0.20–0.30 gave NMI
 *   0.39–0.46 at 96–67 % coverage.
 * - ferrari-100 plus five or seven edited copies of each: ~99 clusters (one per photo), NMI 0.99.
 * - ferrari-100 alone (distinct photos of similar cars): 12 clusters, 25 % clustered — distinct
 *   shots of different cars do not resemble one another once whitening has removed "car".
 */
import { DisjointSets } from '../search/disjoint-sets.js';
import { knnGraph, type AnnParams, type KnnGraph } from './neighbours.js';

export interface ClusterParams {
  /** Neighbours per photo in the graph that proposes merges. */
  k: number;
  minThreshold: number;
  maxThreshold: number;
  /** Quantile of nearest-neighbour similarity the adaptive threshold follows. */
  coverage: number;
  minSize: number;
  /** Two clusters of 2+ photos merge down to this fraction of the threshold: their average rests
   *  on several pairs (it is steadier than one photo's similarity), and the members of a category
   *  are on average less alike than nearest neighbours are. Singletons always need the threshold. */
  groupFactor: number;
  /** The granularity the user asked for (clusters --level, levels.ts): multiplies the adaptive
   *  threshold and the group factor, so above 1 gives smaller, tighter clusters and below 1
   *  larger, looser ones covering more photos. */
  granularity: number;
  ann?: Partial<AnnParams>;
}

/** Calibrated on cifar10-test-1000 and ferrari-100 sets (figures in the header). */
export const DEFAULT_CLUSTER_PARAMS: ClusterParams = {
  k: 10,
  minThreshold: 0.22,
  maxThreshold: 0.35,
  coverage: 0.1,
  minSize: 2,
  groupFactor: 0.6,
  granularity: 1,
};

export interface ClusterResult {
  /** Row indices, representative first (the member closest to the centre). */
  clusters: { members: number[]; cohesion: number }[];
  threshold: number;
  seconds: number;
}

export function clusterVectors(matrix: Float32Array, dims: number, params: Partial<ClusterParams> = {}, graph?: KnnGraph): ClusterResult {
  const t0 = performance.now();
  const p = { ...DEFAULT_CLUSTER_PARAMS, ...params };
  const n = Math.floor(matrix.length / dims);
  if (n < 2) return { clusters: [], threshold: p.maxThreshold, seconds: 0 };
  const g = graph ?? knnGraph(matrix, dims, p.k, p.ann);
  const threshold = adaptiveThreshold(g, p);

  // Cluster state: vector sums, sizes, versions (for lazy heap invalidation), adjacency.
  const sums = Float32Array.from(matrix.subarray(0, n * dims));
  const size = new Int32Array(n).fill(1);
  const version = new Int32Array(n);
  const sets = new DisjointSets(n);
  const adjacency: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < g.k; j++) {
      const other = g.neighbours[i * g.k + j];
      if (other < 0 || other === i) continue;
      adjacency[i].add(other);
      adjacency[other].add(i);
    }
  }
  const linkage = (a: number, b: number): number => {
    let s = 0;
    const oa = a * dims;
    const ob = b * dims;
    for (let t = 0; t < dims; t++) s += sums[oa + t] * sums[ob + t];
    return s / (size[a] * size[b]);
  };

  const groupThreshold = threshold * Math.min(1, p.groupFactor * p.granularity);
  const pruneBelow = groupThreshold / 2;
  const passes = (s: number, a: number, b: number) => s >= threshold || (size[a] > 1 && size[b] > 1 && s >= groupThreshold);
  const heap = new MaxHeap();
  for (let a = 0; a < n; a++) {
    for (const b of adjacency[a]) {
      if (a >= b) continue;
      const s = linkage(a, b);
      if (s >= threshold) heap.push(s, a, b, 0, 0);
    }
  }
  while (heap.size > 0) {
    const e = heap.pop()!;
    if (!sets.isRoot(e.a) || !sets.isRoot(e.b) || version[e.a] !== e.va || version[e.b] !== e.vb) continue;
    // Merge the smaller into the larger (its adjacency set is the one we keep).
    const [keep, gone] = size[e.a] >= size[e.b] ? [e.a, e.b] : [e.b, e.a];
    sets.join(gone, keep);
    const ok = keep * dims;
    const og = gone * dims;
    for (let t = 0; t < dims; t++) sums[ok + t] += sums[og + t];
    size[keep] += size[gone];
    version[keep]++;
    const neighbours = adjacency[keep];
    for (const x of adjacency[gone]) neighbours.add(x);
    adjacency[gone] = new Set();
    const roots = new Set<number>();
    for (const x of neighbours) {
      const r = sets.find(x);
      if (r !== keep) roots.add(r);
    }
    const kept = new Set<number>();
    for (const r of roots) {
      adjacency[r].delete(gone);
      const s = linkage(keep, r);
      // A neighbour far below the merge level is dropped, so that big clusters do not drag ever
      // longer neighbour lists through every later merge (what keeps 100k photos in seconds).
      if (s < pruneBelow) {
        adjacency[r].delete(keep);
        continue;
      }
      adjacency[r].add(keep);
      kept.add(r);
      if (passes(s, keep, r)) heap.push(s, keep, r, version[keep], version[r]);
    }
    adjacency[keep] = kept;
  }

  const byRoot = sets.groups();
  const clusters: ClusterResult['clusters'] = [];
  for (const [root, members] of byRoot) {
    if (members.length < p.minSize) continue;
    // Representative: the member with the highest cosine to the cluster's centre.
    let norm = 0;
    for (let t = 0; t < dims; t++) norm += sums[root * dims + t] ** 2;
    norm = Math.sqrt(norm) || 1;
    let best = members[0];
    let bestScore = -Infinity;
    let total = 0;
    for (const m of members) {
      let s = 0;
      for (let t = 0; t < dims; t++) s += matrix[m * dims + t] * sums[root * dims + t];
      s /= norm;
      total += s;
      if (s > bestScore) {
        bestScore = s;
        best = m;
      }
    }
    clusters.push({ members: [best, ...members.filter((m) => m !== best)], cohesion: total / members.length });
  }
  clusters.sort((a, b) => b.members.length - a.members.length || b.cohesion - a.cohesion);
  return { clusters, threshold, seconds: (performance.now() - t0) / 1000 };
}

/** The nearest-neighbour similarity at the `coverage` quantile, clamped to the bounds. */
export function adaptiveThreshold(g: KnnGraph, p: ClusterParams): number {
  const nearest: number[] = [];
  for (let i = 0; i < g.n; i++) if (g.k > 0 && g.neighbours[i * g.k] >= 0) nearest.push(g.similarities[i * g.k]);
  if (nearest.length === 0) return p.maxThreshold;
  nearest.sort((a, b) => a - b);
  const q = nearest[Math.min(nearest.length - 1, Math.floor(p.coverage * nearest.length))];
  return p.granularity * Math.max(p.minThreshold, Math.min(p.maxThreshold, q));
}

/** A binary max-heap of candidate merges (similarity, the two clusters and their versions). */
class MaxHeap {
  private s: number[] = [];
  private a: number[] = [];
  private b: number[] = [];
  private va: number[] = [];
  private vb: number[] = [];

  get size(): number {
    return this.s.length;
  }

  push(s: number, a: number, b: number, va: number, vb: number): void {
    this.s.push(s);
    this.a.push(a);
    this.b.push(b);
    this.va.push(va);
    this.vb.push(vb);
    let i = this.s.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (this.s[up] >= this.s[i]) break;
      this.swap(i, up);
      i = up;
    }
  }

  pop(): { s: number; a: number; b: number; va: number; vb: number } | undefined {
    if (this.s.length === 0) return undefined;
    const top = { s: this.s[0], a: this.a[0], b: this.b[0], va: this.va[0], vb: this.vb[0] };
    const last = this.s.length - 1;
    this.swap(0, last);
    this.s.pop();
    this.a.pop();
    this.b.pop();
    this.va.pop();
    this.vb.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.s.length && this.s[l] > this.s[m]) m = l;
      if (r < this.s.length && this.s[r] > this.s[m]) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }

  private swap(i: number, j: number): void {
    [this.s[i], this.s[j]] = [this.s[j], this.s[i]];
    [this.a[i], this.a[j]] = [this.a[j], this.a[i]];
    [this.b[i], this.b[j]] = [this.b[j], this.b[i]];
    [this.va[i], this.va[j]] = [this.va[j], this.va[i]];
    [this.vb[i], this.vb[j]] = [this.vb[j], this.vb[i]];
  }
}
