/**
 * HEVC HEIC through the system's libheif when it is installed: `heif-convert` (Debian/Ubuntu
 * `libheif-examples`, Fedora `libheif-tools`, Homebrew `libheif`) run as a child process, for a
 * HEIC's whole image. Measured on the loaded 2-core machine it is only a little faster than
 * libheif in WebAssembly (heic-decode) for a 12 MP photo, JPEG round trip included (2.35 against
 * 2.51 s), but its ~250 MB of decode memory is its own process's and freed at once, not a
 * WebAssembly heap that stays grown in every worker. Without it, heic-decode is used.
 * LIKENESS_HEIC_DECODER=wasm forces the WebAssembly decoder (tests and the benchmark's baseline).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TOOL = 'heif-convert';
/** A 64-megapixel HEIC decodes in a few seconds; a stuck child is given up on long after. */
const TIMEOUT_MS = 120_000;

let available: Promise<boolean> | undefined;

/** Whether heif-convert is on the PATH and has an HEVC decoder (asked once per process). */
export function nativeHeifAvailable(): Promise<boolean> {
  if (process.env.LIKENESS_HEIC_DECODER === 'wasm') return Promise.resolve(false);
  available ??= run(TOOL, ['--list-decoders'], { timeout: 10_000 })
    .then(({ stdout }) => /HEIC decoders:\s*\n\s*- \S/.test(stdout))
    .catch(() => false);
  return available;
}

/**
 * The file's primary image, oriented by its own transforms (rotation, mirror, crop), as a
 * high-quality JPEG (heif-convert writes JPEG, PNG or Y4M; JPEG is the fastest of those that
 * carry RGB, and at quality 95 indistinguishable in a 256 px working copy). Null when the
 * file holds several top-level images (heif-convert then writes one file each): the caller
 * decodes it another way.
 */
export async function decodeHeifNative(bytes: Buffer): Promise<Buffer | null> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'likeness-heif-'));
  try {
    const input = path.join(dir, 'in.heic');
    const output = path.join(dir, 'out.jpg');
    await fs.writeFile(input, bytes);
    try {
      await run(TOOL, ['--quiet', '-q', '95', input, output], { timeout: TIMEOUT_MS });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
      throw new Error(stderr.split('\n')[0] || (error as Error).message, { cause: error });
    }
    return await fs.readFile(output).catch(() => null);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
