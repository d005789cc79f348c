/**
 * The `likeness` command's JSON outputs are contracts checked by outside scripts: exact shapes,
 * absolute paths, argument order, exit codes.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CIFAR, copyInto, tempDir } from '../helpers/datasets.js';
import { runCli } from '../helpers/cli.js';

// Not about automatic tags and text (tests/integration/annotation-*.test.ts are): skip that work.
process.env.LIKENESS_ANNOTATE ??= 'off';


const likeness = (args: string[], cwd?: string) => runCli(args, { cwd });

describe('likeness CLI', () => {
  const root = tempDir();
  const photos = path.join(root, 'labelled');
  const db = path.join(root, 'cli.db');
  const classes = ['airplane', 'cat', 'ship'];

  before(() => {
    for (const label of classes) {
      const dir = path.join(CIFAR, label);
      copyInto(path.join(photos, label), fs.readdirSync(dir).sort().slice(0, 8).map((f) => path.join(dir, f)));
    }
    fs.writeFileSync(path.join(photos, 'cat', 'broken.jpg'), 'not an image');
  });

  test('index exits 0 even with a failed file and prints a one-line summary off a TTY', async () => {
    const r = await likeness(['index', photos, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /Indexed 24 .* 1 failed of 25 images/);
  });

  test('status --json has exactly the contract shape', async () => {
    const r = await likeness(['status', '--db', db, '--json']);
    assert.equal(r.code, 0);
    const status = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(status).sort(), ['failed', 'failures', 'indexed', 'pending']);
    assert.equal(status.indexed, 24);
    assert.equal(status.pending, 0);
    assert.equal(status.failed, 1);
    assert.deepEqual(Object.keys(status.failures[0]).sort(), ['path', 'reason']);
    assert.equal(status.failures[0].path, path.join(photos, 'cat', 'broken.jpg'));
    assert.match(status.failures[0].reason, /not a readable image/);
  });

  test('similar --json: one entry per query in order, absolute paths, best first, k honoured', async () => {
    const queries = [path.join(photos, 'ship', fs.readdirSync(path.join(photos, 'ship')).sort()[0]), path.join(photos, 'airplane', fs.readdirSync(path.join(photos, 'airplane')).sort()[1])];
    // Relative query paths resolve against the working directory.
    const relative = path.relative(root, queries[1]);
    const r = await likeness(['similar', queries[0], relative, '--k', '5', '--db', db, '--json'], root);
    assert.equal(r.code, 0, r.stderr);
    const answers = JSON.parse(r.stdout);
    assert.equal(answers.length, 2);
    assert.deepEqual(answers.map((a: { query: string }) => a.query), queries);
    for (const answer of answers) {
      assert.deepEqual(Object.keys(answer).sort(), ['query', 'results']);
      assert.equal(answer.results.length, 5);
      for (const hit of answer.results) {
        assert.deepEqual(Object.keys(hit).sort(), ['path', 'score']);
        assert.ok(path.isAbsolute(hit.path));
        assert.equal(typeof hit.score, 'number');
        assert.notEqual(hit.path, answer.query);
      }
      const scores = answer.results.map((h: { score: number }) => h.score);
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    }
  });

  test('one unreadable query does not cost the others their answers', async () => {
    const good = path.join(photos, 'cat', fs.readdirSync(path.join(photos, 'cat')).sort()[0]);
    const missing = path.join(root, 'gone.jpg');
    const r = await likeness(['similar', good, missing, '--k', '3', '--db', db, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /not found/);
    const answers = JSON.parse(r.stdout);
    assert.deepEqual(answers.map((a: { query: string }) => a.query), [good, missing]);
    assert.equal(answers[0].results.length, 3);
    assert.deepEqual(answers[1].results, []);
    assert.match(answers[1].error, /not found/);
  });

  test('eval --json reports mAP, P@1, P@10 and timing for a labelled folder', async () => {
    const r = await likeness(['eval', photos, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.images, 24);
    assert.equal(report.classes, 3);
    for (const key of ['mAP', 'p1', 'p10']) assert.ok(report[key] > 0 && report[key] <= 1, `${key} = ${report[key]}`);
    assert.ok(report.mAP > 1 / 3, `better than chance: ${report.mAP}`);
    assert.ok(report.indexSeconds > 0);
  });

  test('clear errors and exit codes for misuse', async () => {
    const unknown = await likeness(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command/);
    const missing = await likeness(['index', path.join(root, 'nope'), '--db', db]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /folder not found/);
    const badK = await likeness(['similar', 'x.jpg', '--k', 'zero', '--db', db]);
    assert.equal(badK.code, 2);
    assert.match(badK.stderr, /--k must be a positive whole number/);
    const noImage = await likeness(['similar', path.join(root, 'missing.jpg'), '--db', db]);
    assert.equal(noImage.code, 1);
    assert.match(noImage.stderr, /not found/);
  });
});
