/**
 * Approximate search at scale: an HNSW index (usearch: a maintained native library, SIMD) over a
 * stored search space, built in a worker thread, saved beside the database and memory-mapped by
 * every process that searches (`view`: opening costs nothing, pages are shared and not copied).
 *
 * Its keys are search-vector `seq`s, never reused: an entry whose row has since been rewritten or
 * removed is recognised as stale by its key and ignored, so the index never has to be exact —
 * what it lacks is searched exactly beside it (see SearchSpace).
 *
 * 8-bit storage (the vectors are unit, whitened: int8 keeps their ranking; 4× smaller than f32),
 * with the candidates re-ranked in float32. Recall@50 against exact search is measured by
 * `npm run bench -- scale`.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type * as Usearch from 'usearch';

const require = createRequire(import.meta.url);
let usearch: typeof Usearch.default | null = null;
function lib(): typeof Usearch.default {
  // The package's CommonJS build is the one that finds its prebuilt binary reliably.
  usearch ??= require('usearch') as typeof Usearch.default;
  return usearch;
}

/** Below this many photos exact search (a few ms) needs no index. */
export const ANN_FROM = 20_000;

/**
 * The build's beam (expansionAdd) decides the recall where photos come in tight groups (a burst of
 * shots, a category of near-equal scores): with a narrow beam, a photo added later often fails to
 * find its group, and is then missing from the graph's paths to it. Measured at 1M synthetic
 * photos in categories of 100 (the bench's library), 2 cores, recall@50 of the 150 candidates
 * against exact search: expansionAdd 96: 0.842, build 96 s; 256: 0.964, 278 s; 384: 0.980, 384 s (and 0.9999 from 300 candidates).
 * On 200k vectors in categories of 100: 96: 0.58; 256: 0.945; 512: 0.998; M=32 with 128: 0.88, with
 * 256: 0.998. The search's beam matters less (expansionSearch 400 with 96: 0.65).
 */
export const ANN_PARAMS = { connectivity: 16, expansionAdd: 384, expansionSearch: 160 };

function emptyIndex(dims: number): Usearch.Index {
  return new (lib().Index)({
    dimensions: dims,
    metric: lib().MetricKind.IP,
    quantization: lib().ScalarKind.I8,
    connectivity: ANN_PARAMS.connectivity,
    expansion_add: ANN_PARAMS.expansionAdd,
    expansion_search: ANN_PARAMS.expansionSearch,
    multi: false,
  });
}

/**
 * Builds an index of `matrix` rows keyed by `keys`, saves it at `file` (written aside, then
 * renamed: a crash leaves no half file under the name), and returns it for further searching.
 */
export function buildAnnFile(file: string, matrix: Float32Array, keys: BigUint64Array, dims: number, threads: number): Usearch.Index {
  const index = emptyIndex(dims);
  if (keys.length > 0) index.add(keys, matrix.subarray(0, keys.length * dims), threads);
  const partial = `${file}.partial`;
  index.save(partial);
  fs.renameSync(partial, file);
  return index;
}

/**
 * The `k` nearest other rows of every row of `matrix` by the index (keyed by row `keys`), re-ranked
 * by exact dot product: row numbers, nearest first (the neighbour graph, computed with the index).
 */
export function nearestRows(index: Usearch.Index, matrix: Float32Array, keys: BigUint64Array, dims: number, k: number, threads: number): Int32Array[] {
  const n = keys.length;
  const rowOfKey = new Map<bigint, number>();
  keys.forEach((key, row) => rowOfKey.set(key, row));
  const want = Math.min(n, 2 * k + 1);
  const out: Int32Array[] = [];
  const candidates: { row: number; s: number }[] = [];
  // In blocks, so that the answers of one block (want keys per row) stay small.
  const BLOCK = 4096;
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    const found = index.search(matrix.subarray(start * dims, end * dims), want, threads) as Usearch.BatchMatches;
    for (let row = start; row < end; row++) {
      candidates.length = 0;
      const at = (row - start) * want;
      for (let j = 0; j < Number(found.counts[row - start]); j++) {
        const other = rowOfKey.get(found.keys[at + j]);
        if (other === undefined || other === row) continue;
        let s = 0;
        for (let t = 0; t < dims; t++) s += matrix[row * dims + t] * matrix[other * dims + t];
        candidates.push({ row: other, s });
      }
      candidates.sort((a, b) => b.s - a.s);
      out.push(Int32Array.from(candidates.slice(0, k), (c) => c.row));
    }
  }
  return out;
}

export class AnnIndex {
  private constructor(private readonly index: Usearch.Index) {}

  /**
   * Memory-maps a saved index; null if it cannot be read (it is rebuilt then). `bytes`: the size
   * it was saved with, when known.
   */
  static view(file: string, dims: number, bytes?: number): AnnIndex | null {
    if (!looksSaved(file, dims, bytes)) return null;
    try {
      const index = emptyIndex(dims);
      index.view(file);
      return new AnnIndex(index);
    } catch {
      return null;
    }
  }

  get size(): number {
    return this.index.size();
  }

  /** Which of `keys` the index holds. */
  contains(keys: BigUint64Array): boolean[] {
    if (keys.length === 0) return [];
    const found = this.index.contains(keys);
    return Array.isArray(found) ? found : [found];
  }

  /** The keys of about the `want` nearest entries, nearest first. */
  search(query: Float32Array, want: number): BigUint64Array {
    const found = this.index.search(query, want, 1) as Usearch.Matches;
    return found.keys;
  }

  /** The keys of about the `want` nearest entries of each row of `queries` (n×want, row-major; count per row). */
  searchMany(queries: Float32Array, want: number, threads: number): { keys: BigUint64Array; counts: BigUint64Array } {
    const found = this.index.search(queries, want, threads) as Usearch.BatchMatches;
    return { keys: found.keys, counts: found.counts };
  }
}

/**
 * Whether `file` looks like an index saved by buildAnnFile for `dims` (its header: row count and
 * dimensions, u32 each), checked before usearch sees it: usearch 2.25 does not survive a bad one
 * (measured: a missing or empty file makes it close descriptor 0, the process's stdin, and a node
 * process aborts later; a file of garbage crashes it).
 */
function looksSaved(file: string, dims: number, bytes?: number): boolean {
  let fd: number | undefined;
  try {
    const size = fs.statSync(file).size;
    if (bytes !== undefined && size !== bytes) return false;
    const head = Buffer.alloc(8);
    fd = fs.openSync(file, 'r');
    if (fs.readSync(fd, head, 0, 8, 0) !== 8) return false;
    const rows = head.readUInt32LE(0);
    return head.readUInt32LE(4) === dims && 8 + rows * dims <= size;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
