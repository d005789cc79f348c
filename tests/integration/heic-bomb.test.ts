/**
 * A HEIC decompression bomb: a small file (here 8192×8192 of one colour, ~15 KB) that would take
 * ~850 MB to decode whole (HEVC has no shrink on load; libheif runs in WebAssembly). It is refused
 * from its header, before anything is decoded, with a clear reason, and the process's peak memory
 * stays small. Measured in a child process (its own peak RSS); skipped without heif-enc.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { hasHeifEnc } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/datasets.js';

const decodeModule = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'main', 'core', 'imaging', 'decode.js');

test('a HEIC declaring 67 megapixels is refused from its header, and decoding it stays small in memory', { timeout: 180_000 }, async (t) => {
  if (!hasHeifEnc()) return t.skip('heif-enc (libheif-examples) is not installed');
  const dir = tempDir('likeness-bomb-');
  const png = path.join(dir, 'flat.png');
  const heic = path.join(dir, 'bomb.heic');
  await sharp({ create: { width: 8192, height: 8192, channels: 3, background: '#336699' } }).png({ compressionLevel: 1 }).toFile(png);
  execFileSync('heif-enc', ['-q', '10', '-p', 'preset=ultrafast', '-o', heic, png], { stdio: 'ignore' });

  const script = `
    const { decodeFile } = await import(${JSON.stringify(new URL(`file://${decodeModule}`).href)});
    let reason = null;
    try { await decodeFile(${JSON.stringify(heic)}, { cnnSize: 224, thumbnail: true }); } catch (e) { reason = e.message; }
    console.log(JSON.stringify({ reason, peakMb: process.resourceUsage().maxRSS / 1024 }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { reason: string | null; peakMb: number };
  assert.match(out.reason ?? 'decoded', /HEIC image too large to decode: 8192×8192 is over the 64-megapixel limit/);
  // Decoding it took ~850 MB before it was refused from the header (node + sharp alone: ~70 MB).
  assert.ok(out.peakMb < 400, `peak RSS ${Math.round(out.peakMb)} MB`);
});
