/**
 * Disjoint sets over the items 0…n−1 (union–find with path halving): how duplicate groups and
 * clusters collect photos joined by links.
 */
export class DisjointSets {
  private readonly parent: Int32Array;

  constructor(readonly size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
  }

  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  }

  isRoot(x: number): boolean {
    return this.parent[x] === x;
  }

  /** Puts x's set into y's; y's root stays the root (callers keep per-root state there). */
  join(x: number, y: number): void {
    this.parent[this.find(x)] = this.find(y);
  }

  /** The members of every set, in item order, keyed by the set's root. */
  groups(): Map<number, number[]> {
    const byRoot = new Map<number, number[]>();
    for (let i = 0; i < this.size; i++) {
      const root = this.find(i);
      const list = byRoot.get(root);
      if (list) list.push(i);
      else byRoot.set(root, [i]);
    }
    return byRoot;
  }
}
