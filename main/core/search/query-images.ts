/**
 * Images as queries: an indexed photo answers with its stored search vector, any other image
 * file (or bytes: drag-and-drop, upload) is embedded on the fly with the serving model and not
 * added. Used by `similar` and by the examples of a hybrid search.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FilesRepository } from '../store/files-repository.js';
import type { SimilarAnswer, SimilarHit } from '../types.js';
import type { SearchState } from './search-state.js';

/** Embeds an image that is not in the library with the serving model (embedding/library-models.ts). */
export type EmbedImage = (item: { path?: string; bytes?: Uint8Array }) => Promise<Float32Array>;

export class QueryImages {
  constructor(
    private readonly files: FilesRepository,
    private readonly search: SearchState,
    private readonly embed: EmbedImage,
  ) {}

  /**
   * For each query (an indexed photo, or any image file), the k most similar photos of the
   * library, best first. A photo never matches itself.
   */
  async similar(queries: string[], k: number): Promise<SimilarAnswer[]> {
    const answers: SimilarAnswer[] = [];
    for (const query of queries) {
      const absolute = path.resolve(query);
      const row = this.files.byPath(absolute);
      const indexed = row && row.status === 'indexed' ? row.id : undefined;
      // An indexed photo's search vector is at hand (the space stores exactly what its raw vector maps to).
      const inSpace = indexed === undefined ? undefined : this.search.vectorOf(indexed);
      const stored = inSpace || indexed === undefined ? undefined : this.files.vectorOf(indexed, this.search.modelId, () => this.search.forgetDamaged([indexed]));
      let vector: Float32Array;
      if (inSpace) {
        vector = inSpace;
      } else if (stored) {
        vector = this.search.toSearchSpace(stored);
      } else {
        assertImageFile(absolute, 'query image');
        vector = this.search.toSearchSpace(await this.embed({ path: absolute }));
      }
      const exclude = (inSpace || stored) && indexed !== undefined ? new Set([indexed]) : undefined;
      answers.push({ query: absolute, results: this.search.nearestTo(vector, k, exclude) });
    }
    return answers;
  }

  /** Reverse image search for bytes that are not a file. */
  async similarToBuffer(image: Buffer, k: number): Promise<SimilarHit[]> {
    const raw = await this.embed({ bytes: new Uint8Array(image) });
    return this.search.nearestTo(this.search.toSearchSpace(raw), k);
  }

  /** The search-space vector of an example image (indexed or not) and its file id if indexed. */
  async exampleVector(file: string): Promise<{ id: number | null; vector: Float32Array }> {
    const absolute = path.resolve(file);
    const row = this.files.byPath(absolute);
    const stored = row && row.status === 'indexed' ? this.search.searchIndex().vector(row.id) : undefined;
    if (row && stored) return { id: row.id, vector: stored };
    assertImageFile(absolute, 'example image');
    return { id: null, vector: this.search.toSearchSpace(await this.embed({ path: absolute })) };
  }
}

/** A query or example image must be a regular file: reading a FIFO would wait for ever. */
function assertImageFile(file: string, what: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new Error(`${what} not found: ${file}`);
  }
  if (stat.isDirectory()) throw new Error(`${what} is a folder, not an image: ${file}`);
  if (!stat.isFile()) throw new Error(`${what} is not a regular file (a named pipe, socket or device), so it cannot be read as an image: ${file}`);
}
