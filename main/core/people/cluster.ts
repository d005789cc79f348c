/**
 * People from face descriptors, incrementally and without a number of people given: average-
 * linkage agglomerative clustering that continues from the people already there. The faces not
 * yet in a person start as clusters of one; the pair of clusters most alike (the mean cosine
 * over all their pairs of faces) merges, again and again, while that likeness reaches
 * SAME_PERSON. A person the user named or corrected is fixed: it takes faces but never merges
 * with another person (two people found earlier, unnamed, may merge when new faces bring them
 * together). A face never joins a person it was taken out of ("not this person").
 *
 * With unit descriptors the mean pairwise cosine of clusters A and B is ΣA·ΣB / (|A|·|B|), so a
 * cluster is only its sum and its size.
 *
 * The threshold favours splitting: a wrong merge mixes two people's photos, which is worse than
 * one person shown twice (the user merges those in one gesture). Measured with
 * `npm run bench -- people` (BCubed precision/recall on lfw-people-dev and composed scenes).
 */

/** Mean cosine likeness between two clusters of faces from which they are one person. */
export const SAME_PERSON = 0.6;

export interface PersonSeed {
  id: number;
  /** Sum of its faces' unit descriptors. */
  sum: Float32Array;
  count: number;
  /** Named or corrected by the user: never merged into or with another person. */
  fixed: boolean;
  /** People its faces must not join. */
  rejects: ReadonlySet<number>;
}

export interface LooseFace {
  id: number;
  vector: Float32Array;
  /** People this face must not join ("not this person"). */
  rejected: ReadonlySet<number>;
}

export interface Placed {
  /** The existing person the faces joined, or null: a new person (of one face, maybe). */
  person: number | null;
  faces: number[];
  /** Existing (unfixed) people merged into `person`. */
  absorbed: number[];
}

interface Cluster {
  person: number | null;
  fixed: boolean;
  sum: Float32Array;
  count: number;
  faces: number[];
  absorbed: number[];
  rejects: Set<number>;
  alive: boolean;
  /** Changed in this pass: its likeness to every other cluster is kept up to date. */
  row: Float64Array | null;
}

function likeness(a: Cluster, b: Cluster): number {
  let dot = 0;
  for (let i = 0; i < a.sum.length; i++) dot += a.sum[i] * b.sum[i];
  return dot / (a.count * b.count);
}

function canMerge(a: Cluster, b: Cluster): boolean {
  if (a === b || !a.alive || !b.alive) return false;
  if (a.person !== null && b.person !== null && (a.fixed || b.fixed)) return false;
  if (a.person !== null && b.rejects.has(a.person)) return false;
  if (b.person !== null && a.rejects.has(b.person)) return false;
  for (const p of a.absorbed) if (b.rejects.has(p)) return false;
  for (const p of b.absorbed) if (a.rejects.has(p)) return false;
  return true;
}

/**
 * Clusters `loose` faces together with the existing people (`seeds`). Returns each cluster that
 * changed: the loose faces it took, the person it is (null: a new one) and the people it absorbed.
 */
export function placeFaces(seeds: PersonSeed[], loose: LooseFace[], threshold = SAME_PERSON): Placed[] {
  const all: Cluster[] = [
    ...loose.map((f) => ({ person: null, fixed: false, sum: Float32Array.from(f.vector), count: 1, faces: [f.id], absorbed: [], rejects: new Set(f.rejected), alive: true, row: null })),
    ...seeds.map((s) => ({ person: s.id, fixed: s.fixed, sum: Float32Array.from(s.sum), count: s.count, faces: [], absorbed: [], rejects: new Set(s.rejects), alive: true, row: null })),
  ];
  // Each changed cluster's likeness to every cluster, and its best partner (kept up to date).
  const best = new Map<Cluster, { j: number; value: number }>();
  const fillRow = (c: Cluster) => {
    c.row ??= new Float64Array(all.length);
    let top = { j: -1, value: -Infinity };
    for (let j = 0; j < all.length; j++) {
      c.row[j] = canMerge(c, all[j]) ? likeness(c, all[j]) : -Infinity;
      if (c.row[j] > top.value) top = { j, value: c.row[j] };
    }
    best.set(c, top);
  };
  // Only pairs with a changed cluster in them can reach the threshold: people already apart stay apart.
  const rows = all.slice(0, loose.length);
  for (const c of rows) fillRow(c);
  for (;;) {
    let a: Cluster | null = null;
    let top = { j: -1, value: threshold };
    for (const c of rows) {
      const b = best.get(c)!;
      if (c.alive && b.value >= top.value) {
        a = c;
        top = b;
      }
    }
    if (!a || top.j < 0) break;
    let into = all[top.j];
    let from = a;
    // The merged cluster keeps a person's id (the fixed one, else the older one).
    if (from.person !== null && (into.person === null || from.fixed || (!into.fixed && from.person < into.person))) [into, from] = [from, into];
    for (let k = 0; k < into.sum.length; k++) into.sum[k] += from.sum[k];
    into.count += from.count;
    into.faces.push(...from.faces);
    if (from.person !== null) into.absorbed.push(from.person);
    into.absorbed.push(...from.absorbed);
    for (const r of from.rejects) into.rejects.add(r);
    from.alive = false;
    if (!into.row) rows.push(into);
    fillRow(into);
    const ji = all.indexOf(into);
    const jf = all.indexOf(from);
    for (const c of rows) {
      if (!c.alive || c === into) continue;
      c.row![jf] = -Infinity;
      c.row![ji] = canMerge(c, into) ? likeness(c, into) : -Infinity;
      const b = best.get(c)!;
      if (b.j === ji || b.j === jf) {
        // Its best partner changed or is gone: look again along its row.
        let t = { j: -1, value: -Infinity };
        for (let j = 0; j < all.length; j++) if (c.row![j] > t.value && all[j].alive) t = { j, value: c.row![j] };
        best.set(c, t);
      } else if (c.row![ji] > b.value) best.set(c, { j: ji, value: c.row![ji] });
    }
  }
  return all.filter((c) => c.alive && (c.faces.length > 0 || c.absorbed.length > 0)).map((c) => ({ person: c.person, faces: c.faces, absorbed: c.absorbed }));
}
