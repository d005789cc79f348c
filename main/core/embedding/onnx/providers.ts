/**
 * Execution provider choice: the best accelerator the platform may have, then CPU.
 *
 *   linux  : cuda, cpu          win32 : cuda, dml, cpu          darwin : coreml, cpu
 *
 * A provider onnxruntime-node does not list for this build is skipped, and so is one it lists as
 * not bundled (CUDA: its provider library is fetched by an optional install step) when that library
 * is absent, which avoids a noisy native error on every start. If creating the session with the
 * preferred list still fails (no GPU, driver mismatch), we retry with CPU alone.
 * LIKENESS_ONNX_PROVIDERS=cpu (or a comma list) overrides the preference.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import type { Ort } from './ort.js';

const require = createRequire(import.meta.url);

const PREFERRED: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['cuda'],
  win32: ['cuda', 'dml'],
  darwin: ['coreml'],
};

/** Shared library a non-bundled provider needs next to the binding. */
const PROVIDER_LIBRARY: Record<string, Partial<Record<NodeJS.Platform, string>>> = {
  cuda: { linux: 'libonnxruntime_providers_cuda.so', win32: 'onnxruntime_providers_cuda.dll' },
};

export interface Backend {
  name: string;
  bundled: boolean;
}

export function preferredProviders(
  backends: Backend[],
  platform: NodeJS.Platform = process.platform,
  hasLibrary: (file: string) => boolean = bindingHasFile,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  if (env.LIKENESS_ONNX_PROVIDERS) {
    // onnxruntime-common silently drops names it has no backend for; drop them here too, so that
    // the provider we report is one that really was asked for.
    const names = env.LIKENESS_ONNX_PROVIDERS.split(',').map((s) => s.trim());
    const known = names.filter((n) => backends.some((b) => b.name === n));
    return known.length ? known : ['cpu'];
  }
  const usable = (name: string): boolean => {
    const backend = backends.find((b) => b.name === name);
    if (!backend) return false;
    if (backend.bundled) return true;
    const lib = PROVIDER_LIBRARY[name]?.[platform];
    return lib !== undefined && hasLibrary(lib);
  };
  return [...(PREFERRED[platform] ?? []).filter(usable), 'cpu'];
}

function bindingHasFile(file: string): boolean {
  try {
    const root = path.dirname(path.dirname(require.resolve('onnxruntime-node'))); // .../onnxruntime-node
    return fs.existsSync(path.join(root, 'bin', 'napi-v6', process.platform, process.arch, file));
  } catch {
    return false;
  }
}

export interface SessionChoice {
  session: InferenceSession;
  /** The provider we expect to run the model: the first of the list the session was made with. */
  provider: string;
  /** Why the preferred providers were not used, if they were not. */
  fallbackReason?: string;
}

export async function createSession(ort: Ort, model: string | Uint8Array, threads: number): Promise<SessionChoice> {
  const options = (executionProviders: string[]): InferenceSession.SessionOptions => ({
    executionProviders,
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    // With >1 intra-op threads, idle pool threads spin by default. Next to other busy workers that
    // halves throughput (measured: 2 threads 41 -> 25 ms/image with one core taken elsewhere).
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const create = (eps: string[]) =>
    typeof model === 'string' ? ort.InferenceSession.create(model, options(eps)) : ort.InferenceSession.create(model, options(eps));

  const preferred = preferredProviders(ort.listSupportedBackends());
  try {
    return { session: await create(preferred), provider: preferred[0] };
  } catch (err) {
    if (preferred.length === 1 && preferred[0] === 'cpu') throw err;
    const reason = `${preferred.filter((p) => p !== 'cpu').join('/')} failed: ${firstLine(err)}`;
    return { session: await create(['cpu']), provider: 'cpu', fallbackReason: reason };
  }
}

export function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].slice(0, 200);
}
