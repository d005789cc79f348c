import { dot } from './dot.js';

/**
 * Exact k-nearest-neighbour search over an in-memory matrix of unit vectors (dot = cosine).
 * Rows are kept packed: removal moves the last row into the hole, so search is one linear scan.
 * 100k × 256-d is 100 MB and a query scans it in tens of milliseconds (see `npm run bench`).
 */
export interface Neighbour {
  id: number;
  score: number;
}

export class VectorIndex {
  private matrix: Float32Array;
  private ids: number[] = [];
  private readonly rowOf = new Map<number, number>();

  constructor(readonly dims: number, capacity = 1024) {
    this.matrix = new Float32Array(Math.max(1, capacity) * dims);
  }

  /** An index over rows already packed in `matrix` (the first `ids.length`; what follows is room to grow), without a copy. */
  static adopt(dims: number, matrix: Float32Array, ids: number[]): VectorIndex {
    if (matrix.length < ids.length * dims) throw new Error(`${ids.length} rows of ${dims} do not fit in ${matrix.length} numbers`);
    const index = new VectorIndex(dims, 1);
    index.matrix = matrix;
    ids.forEach((id, row) => {
      index.ids.push(id);
      index.rowOf.set(id, row);
    });
    return index;
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: number): boolean {
    return this.rowOf.has(id);
  }

  vector(id: number): Float32Array | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : this.matrix.slice(row * this.dims, (row + 1) * this.dims);
  }

  /** The dot product of `id`'s vector with `query` (undefined if absent). */
  dotWith(id: number, query: Float32Array): number | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : dot(this.matrix, row * this.dims, query, 0, this.dims);
  }

  /** The packed rows and their ids, as they are now (a view: valid until the next change). */
  rows(): { matrix: Float32Array; ids: readonly number[] } {
    return { matrix: this.matrix.subarray(0, this.ids.length * this.dims), ids: this.ids };
  }

  allIds(): number[] {
    return [...this.ids];
  }

  /** Adds or replaces the vector for `id`. */
  set(id: number, vector: Float32Array): void {
    if (vector.length !== this.dims) throw new Error(`vector has ${vector.length} dimensions, index has ${this.dims}`);
    const row = this.rowFor(id); // (first: it may grow the matrix)
    this.matrix.set(vector, row * this.dims);
  }

  /** Like `set`, from the float32 bytes of a stored vector (no intermediate copy). */
  setBytes(id: number, bytes: Uint8Array): void {
    if (bytes.byteLength !== this.dims * 4) throw new Error(`vector has ${bytes.byteLength / 4} dimensions, index has ${this.dims}`);
    const row = this.rowFor(id);
    new Uint8Array(this.matrix.buffer, row * this.dims * 4, this.dims * 4).set(bytes);
  }

  /** The row of `id`, a new one at the end (growing the matrix) if it has none. */
  private rowFor(id: number): number {
    let row = this.rowOf.get(id);
    if (row === undefined) {
      row = this.ids.length;
      if ((row + 1) * this.dims > this.matrix.length) {
        const grown = new Float32Array(this.matrix.length * 2);
        grown.set(this.matrix);
        this.matrix = grown;
      }
      this.ids.push(id);
      this.rowOf.set(id, row);
    }
    return row;
  }

  delete(id: number): void {
    const row = this.rowOf.get(id);
    if (row === undefined) return;
    const last = this.ids.length - 1;
    if (row !== last) {
      const movedId = this.ids[last];
      this.matrix.copyWithin(row * this.dims, last * this.dims, (last + 1) * this.dims);
      this.ids[row] = movedId;
      this.rowOf.set(movedId, row);
    }
    this.ids.pop();
    this.rowOf.delete(id);
  }

  /** Every row ranked by dot product with `query`, best first (for evaluation: O(n log n)). */
  rankAll(query: Float32Array, exclude?: ReadonlySet<number>): Neighbour[] {
    const d = this.dims;
    const all: Neighbour[] = [];
    for (let row = 0; row < this.ids.length; row++) {
      const id = this.ids[row];
      if (exclude?.has(id)) continue;
      all.push({ id, score: dot(this.matrix, row * d, query, 0, d) });
    }
    return all.sort((a, b) => b.score - a.score);
  }

  /** The k rows with the highest dot product with `query`, best first; `exclude` ids are skipped. */
  search(query: Float32Array, k: number, exclude?: ReadonlySet<number>): Neighbour[] {
    const d = this.dims;
    const n = this.ids.length;
    const m = this.matrix;
    // A sorted array of the best k so far: k is small, so insertion beats a heap.
    const topScores: number[] = [];
    const topIds: number[] = [];
    for (let row = 0; row < n; row++) {
      const s = dot(m, row * d, query, 0, d);
      if (topScores.length === k && s <= topScores[k - 1]) continue;
      const id = this.ids[row];
      if (exclude?.has(id)) continue;
      let at = topScores.length;
      while (at > 0 && topScores[at - 1] < s) at--;
      topScores.splice(at, 0, s);
      topIds.splice(at, 0, id);
      if (topScores.length > k) {
        topScores.pop();
        topIds.pop();
      }
    }
    return topIds.map((id, i) => ({ id, score: topScores[i] }));
  }
}
