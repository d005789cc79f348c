/**
 * A library's models: the one it embeds with (its `model` setting, the target), the one whose
 * vectors answer queries (the serving model: the previous one until a switch is re-embedded),
 * and the embedding worker pools of each. Choosing a model re-embeds nothing here: the next
 * index or watch pass does, while the old vectors keep answering.
 */
import type { Db } from '../store/database.js';
import type { FilesRepository } from '../store/files-repository.js';
import { WorkerPool } from './pool.js';
import type { EngineName } from './engine.js';
import { BACKBONE_MODEL_ID } from './bundled-backbone.js';
import { vectorModelId } from './flip-average.js';
import { BUNDLED_SPEC, listManifests, resolveModel, type ModelSpec } from './models/manifest.js';

/** A model a library can use (`likeness model list`). */
export interface ModelInfo {
  /** The manifest's id (the bundled backbone's is BACKBONE_MODEL_ID). */
  id: string;
  /** The id its vectors carry. */
  vectorModelId: string;
  manifestPath: string | null;
  inputSize: number;
  layout: string;
  pooling: string;
  /** The library's chosen model (what indexing embeds with). */
  target: boolean;
  /** The model whose vectors answer queries now (differs from the target until re-embedding completes). */
  serving: boolean;
}

export interface ModelSwitch {
  target: string;
  serving: string;
  /** Indexed files still lacking a vector of the target model (re-embedded by the next index/watch). */
  toReembed: number;
}

/** The library's model setting: what to load (a manifest path, or an id) and the manifest's id. */
interface ModelSetting {
  model: string;
  id: string;
}
const MODEL_KEY = 'model';

export interface PoolOptions {
  engine?: EngineName;
  /** Embedding worker threads; one per core by default. */
  workers?: number;
  thumbnailDir: string;
}

export class LibraryModels {
  private servingCache: string | null = null;
  private poolPromise: Promise<WorkerPool> | null = null;
  /** A one-worker pool of the serving model, for external queries while re-embedding. */
  private servingPoolPromise: Promise<WorkerPool> | null = null;

  constructor(
    private readonly db: Db,
    private readonly files: FilesRepository,
    private readonly options: PoolOptions,
    /** Another model now serves; `stale` vectors of the others were deleted (search-state.ts follows). */
    private readonly servingChanged: (stale: number) => void,
  ) {}

  /**
   * The model whose vectors this library searches: the target model once every indexed file has
   * a vector of it; until then (a model switch being re-embedded) the previous model.
   */
  get servingId(): string {
    if (this.servingCache) return this.servingCache;
    const target = this.targetId;
    // Counting the files that lack a vector reads every indexed file (1 s at 1M photos): only a
    // library that holds another model's vectors (a switch under way) needs it.
    const switching = this.files.hasVectorsOtherThan(target) && this.files.countLackingVector(target) > 0;
    const serving = switching ? (this.files.mostCommonModelExcept(target) ?? target) : target;
    this.servingCache = serving;
    return serving;
  }

  /** The model the library embeds with (its `model` setting; the bundled backbone by default). */
  get targetId(): string {
    return vectorModelId(this.setting().id);
  }

  private setting(): ModelSetting {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(MODEL_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as ModelSetting) : { model: BACKBONE_MODEL_ID, id: BACKBONE_MODEL_ID };
  }

  /** Every model in the model folders (and the bundled backbone), with which one is in use. */
  list(): ModelInfo[] {
    const target = this.targetId;
    const serving = this.servingId;
    const { specs } = listManifests();
    const all: ModelSpec[] = specs.some((s) => s.id === BUNDLED_SPEC.id) ? specs : [BUNDLED_SPEC, ...specs];
    return all.map((spec) => ({
      id: spec.id,
      vectorModelId: vectorModelId(spec.id),
      manifestPath: spec.manifestPath ?? null,
      inputSize: spec.inputSize,
      layout: spec.layout,
      pooling: spec.pooling,
      target: vectorModelId(spec.id) === target,
      serving: vectorModelId(spec.id) === serving,
    }));
  }

  /** Saves the chosen model (a manifest path, or a manifest id / file stem in the model folders). */
  async choose(nameOrPath: string): Promise<void> {
    const spec = resolveModel(nameOrPath);
    const setting: ModelSetting = { model: spec.manifestPath ?? spec.id, id: spec.id };
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(MODEL_KEY, JSON.stringify(setting));
    // The next pool starts with the new model.
    const pool = this.poolPromise;
    this.poolPromise = null;
    if (pool) await (await pool.catch(() => null))?.close();
    this.servingCache = null;
  }

  /**
   * When every indexed file has a vector of the target model, it starts serving: the other
   * models' vectors go, and the search space is told to rebuild (callers then refit it).
   */
  finishSwitchIfComplete(): void {
    const target = this.targetId;
    if (this.files.countLackingVector(target) > 0) return;
    const stale = this.files.deleteVectorsExcept(target);
    if (this.servingCache === target && stale === 0) return;
    this.servingCache = target;
    const old = this.servingPoolPromise;
    this.servingPoolPromise = null;
    if (old) void old.then((p) => p.close()).catch(() => {});
    this.servingChanged(stale);
  }

  /** Chooses the engine after opening (a launch's saved setting), before the workers start. */
  useEngine(engine: EngineName): void {
    if (this.poolPromise) throw new Error('the embedding workers have started: a new engine applies at the next launch');
    this.options.engine = engine;
  }

  /** Starts the embedding workers on first need (opening a library for browsing stays instant). */
  pool(): Promise<WorkerPool> {
    this.poolPromise ??= WorkerPool.start({
      engine: { engine: this.options.engine ?? 'auto', model: this.setting().model },
      workers: this.options.workers,
      thumbnailDir: this.options.thumbnailDir,
    });
    return this.poolPromise;
  }

  /** Embeds an image that is not (or not yet) in the library with the serving model. */
  async embedExternal(item: { path?: string; bytes?: Uint8Array }): Promise<Float32Array> {
    const serving = this.servingId;
    const pool = serving === this.targetId ? await this.pool() : await this.servingPool();
    const [result] = await pool.process([{ ...item, thumbnail: false }]);
    if (!result.ok) throw new Error(`cannot search with ${item.path ?? 'this image'}: ${result.reason}`);
    if (pool.info.modelId !== this.servingId) throw new Error(`engine model ${pool.info.modelId} does not match the library's ${this.servingId}`);
    return result.vector;
  }

  /**
   * While a model switch is being re-embedded, external query images must be embedded with the
   * serving (old) model to be comparable with the served vectors: a one-worker pool of it.
   */
  private servingPool(): Promise<WorkerPool> {
    if (!this.servingPoolPromise) {
      const serving = this.servingId;
      const { specs } = listManifests();
      const spec = [BUNDLED_SPEC, ...specs].find((s) => vectorModelId(s.id) === serving);
      if (!spec) {
        return Promise.reject(
          new Error(`cannot embed a query with the model being replaced (${serving}): its manifest is gone; run \`likeness index\` to finish re-embedding`),
        );
      }
      this.servingPoolPromise = WorkerPool.start({
        engine: { engine: this.options.engine ?? 'auto', model: spec.manifestPath ?? spec.id },
        workers: 1,
        thumbnailDir: this.options.thumbnailDir,
      });
    }
    return this.servingPoolPromise;
  }

  async close(): Promise<void> {
    if (this.poolPromise) await (await this.poolPromise.catch(() => null))?.close();
    if (this.servingPoolPromise) await (await this.servingPoolPromise.catch(() => null))?.close();
  }
}
