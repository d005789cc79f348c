/**
 * stdout carries `--json` answers and nothing else: a damaged HEIC query made libheif print
 * "Decoding image failed …" there (from the embedding worker), which broke the JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { hasHeifEnc } from '../helpers/fixtures.js';
import { CLI, ferrariPhotos, tempDir } from '../helpers/datasets.js';

const run = promisify(execFile);

test('similar --json with a damaged HEIC query prints only JSON on stdout', { timeout: 120_000 }, async (t) => {
  if (!hasHeifEnc()) return t.skip('heif-enc (libheif-examples) is not installed');
  const dir = tempDir('likeness-json-');
  const good = ferrariPhotos(1)[0];
  const heic = path.join(dir, 'photo.heic');
  execFileSync('heif-enc', ['-q', '50', '-o', heic, good], { stdio: 'ignore' });
  const damaged = path.join(dir, 'damaged.heic');
  fs.writeFileSync(damaged, fs.readFileSync(heic).subarray(0, 3000)); // cut short: libheif complains
  const { stdout } = await run(process.execPath, [CLI, 'similar', good, damaged, '--db', path.join(dir, 'library.db'), '--json']);
  const answers = JSON.parse(stdout) as { query: string; results: unknown[]; error?: string }[];
  assert.equal(answers.length, 2);
  assert.match(answers[1].error ?? '', /cannot search with/);
});
