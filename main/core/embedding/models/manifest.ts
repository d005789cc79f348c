/**
 * Pluggable embedding models: a JSON manifest next to an ONNX file says how to feed it.
 *
 *   {
 *     "id": "resnet50-imagenet@v1",     // names the vectors: change it when anything below changes
 *     "file": "resnet50.onnx",           // relative to the manifest
 *     "inputSize": 224,                  // the engine gets RGB resized to inputSize x inputSize
 *     "layout": "NCHW",                  // of the model's input (and of a 4-D output)
 *     "scale": 0.00392156862745098,      // x = (pixel * scale - mean[c]) / std[c]; default 1/255
 *     "mean": [0.485, 0.456, 0.406],     // default [0,0,0]
 *     "std": [0.229, 0.224, 0.225],      // default [1,1,1]
 *     "inputName": "x", "outputName": "y", // default: the model's first input / output
 *     "pooling": "avg"                   // for [N,C,H,W]/[N,H,W,C] outputs: "avg" | "max" |
 *   }                                    // "rmac" (see rmac.ts); "none" flattens whatever comes out
 *
 * Instead of "file", `"source": "bundled-backbone"` names the backbone shipped in nsfwjs, which the
 * ONNX engine converts and caches itself (see onnx/bundled-onnx.ts).
 *
 * Manifests are found in the repo's `models/` folder and in `$LIKENESS_MODELS_DIR` (one folder, or
 * several separated by the platform's path delimiter).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BACKBONE_INPUT_SIZE, BACKBONE_MODEL_ID, BACKBONE_POOLING } from '../bundled-backbone.js';

const rgb = z.tuple([z.number(), z.number(), z.number()]);

const ManifestSchema = z
  .object({
    id: z.string().min(1),
    source: z.enum(['file', 'bundled-backbone']).default('file'),
    file: z.string().min(1).optional(),
    inputSize: z.number().int().positive(),
    layout: z.enum(['NHWC', 'NCHW']),
    scale: z.number().positive().default(1 / 255),
    mean: rgb.default([0, 0, 0]),
    std: rgb.refine((s) => s.every((v) => v > 0), 'std values must be > 0').default([1, 1, 1]),
    inputName: z.string().min(1).optional(),
    outputName: z.string().min(1).optional(),
    pooling: z.enum(['none', 'avg', 'max', 'rmac']).default('none'),
  })
  .refine((m) => (m.source === 'file') === (m.file !== undefined), {
    message: 'a manifest needs "file" (an ONNX path) unless its "source" is "bundled-backbone"',
  });

export type ModelManifest = z.infer<typeof ManifestSchema>;

/** A validated manifest, with `file` made absolute. */
export interface ModelSpec extends ModelManifest {
  manifestPath?: string;
}

/** The bundled backbone's preprocessing: NHWC floats in [0,1], as the TF.js engine feeds it. */
export const BUNDLED_SPEC: ModelSpec = {
  id: BACKBONE_MODEL_ID,
  source: 'bundled-backbone',
  inputSize: BACKBONE_INPUT_SIZE,
  layout: 'NHWC',
  scale: 1 / 255,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  pooling: BACKBONE_POOLING,
};

export function parseManifest(json: unknown, manifestPath?: string): ModelSpec {
  const where = manifestPath ?? 'model manifest';
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`);
    throw new Error(`invalid ${where}: ${problems.join('; ')}`);
  }
  const m = parsed.data;
  if (m.source === 'bundled-backbone') {
    // The converted backbone is a fixed function: a manifest can name it, not re-parameterise it.
    const same = (a: unknown, b: unknown): boolean =>
      typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-9 : JSON.stringify(a) === JSON.stringify(b);
    for (const key of ['id', 'inputSize', 'layout', 'scale', 'mean', 'std', 'pooling'] as const) {
      if (!same(m[key], BUNDLED_SPEC[key])) {
        throw new Error(`invalid ${where}: the bundled backbone has ${key} ${JSON.stringify(BUNDLED_SPEC[key])}`);
      }
    }
    return { ...BUNDLED_SPEC, manifestPath };
  }
  const file = manifestPath ? path.resolve(path.dirname(manifestPath), m.file!) : path.resolve(m.file!);
  return { ...m, file, manifestPath };
}

export function loadManifest(manifestPath: string): ModelSpec {
  const abs = path.resolve(manifestPath);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(abs, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read model manifest ${abs}: ${(err as Error).message}`, { cause: err });
  }
  return parseManifest(json, abs);
}

/** The repo's `models/` folder: next to the package.json above this module (src or dist). */
export function repoModelsDir(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      const models = path.join(dir, 'models');
      return fs.existsSync(models) ? models : undefined;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function modelDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const user = (env.LIKENESS_MODELS_DIR ?? '').split(path.delimiter).filter(Boolean);
  const repo = repoModelsDir();
  return [...(repo ? [repo] : []), ...user.map((d) => path.resolve(d))];
}

/** Every manifest in the model folders (an unreadable or invalid one is reported, not fatal). */
export function listManifests(dirs = modelDirs()): { specs: ModelSpec[]; errors: string[] } {
  const specs: ModelSpec[] = [];
  const errors: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    } catch {
      continue; // a user folder that does not exist yet
    }
    for (const name of names) {
      try {
        specs.push(loadManifest(path.join(dir, name)));
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
  }
  return { specs, errors };
}

/**
 * Resolves `model`: a path to a manifest, or the id (or file stem) of one in the model folders.
 * Without `model`, the bundled backbone. Repo manifests win over user ones with the same id.
 */
export function resolveModel(model?: string, dirs = modelDirs()): ModelSpec {
  if (!model) return BUNDLED_SPEC;
  if (model.endsWith('.json') || model.includes('/') || model.includes(path.sep)) return loadManifest(model);
  if (model === BACKBONE_MODEL_ID) return BUNDLED_SPEC;
  const { specs, errors } = listManifests(dirs);
  const hit =
    specs.find((s) => s.id === model) ??
    specs.find((s) => s.manifestPath && path.basename(s.manifestPath, '.json') === model);
  if (hit) return hit;
  const known = specs.map((s) => s.id).join(', ') || 'none';
  const broken = errors.length ? ` (skipped: ${errors.join('; ')})` : '';
  throw new Error(`no model manifest with id "${model}" in ${dirs.join(', ') || 'no model folders'}; known: ${known}${broken}`);
}

export function isBundledBackbone(spec: ModelSpec): boolean {
  return spec.source === 'bundled-backbone';
}
