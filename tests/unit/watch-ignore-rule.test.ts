/** The watcher's one ignore rule, as chokidar and the pass over dirty paths both apply it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { isIgnored } from '../../main/core/watch/ignore-rule.js';

const root = path.resolve('/photos');
const cache = path.resolve('/photos/.likeness-cache');
const file = { isFile: () => true } as Stats;
const folder = { isFile: () => false } as Stats;

test('a photo under a root is watched; the root itself is never ignored', () => {
  assert.equal(isIgnored(path.join(root, '2024', 'a.jpg'), root, [cache], file), false);
  assert.equal(isIgnored(root, root, [root]), false, 'even if excluded');
});

test('a path under no root is ignored', () => {
  assert.equal(isIgnored(path.resolve('/elsewhere/a.jpg'), undefined, []), true);
});

test('the excluded folders (our cache) and all they hold are ignored', () => {
  const other = path.resolve('/data/thumbs');
  assert.equal(isIgnored(other, root, [other]), true);
  assert.equal(isIgnored(path.join(other, 'x', 'y.jpg'), path.resolve('/data'), [other], file), true);
});

test('hidden and system folders, at any depth, are ignored', () => {
  assert.equal(isIgnored(path.join(root, '.thumbnails', 'x.jpg'), root, [], file), true);
  assert.equal(isIgnored(path.join(root, 'a', '.git'), root, [], folder), true);
  assert.equal(isIgnored(path.join(root, 'a', '.hidden.jpg'), root, [], file), true);
});

test('a file that is not an image is ignored, a folder never for its extension', () => {
  assert.equal(isIgnored(path.join(root, 'notes.txt'), root, [], file), true);
  assert.equal(isIgnored(path.join(root, 'holiday.txt'), root, [], folder), false);
  assert.equal(isIgnored(path.join(root, 'notes.txt'), root, []), false, 'no stats yet: chokidar asks again with them');
  assert.equal(isIgnored(path.join(root, 'IMG_1.HEIC'), root, [], file), false);
});

test('a path outside the root asked about is not this rule\'s to ignore', () => {
  assert.equal(isIgnored(path.resolve('/other/a.txt'), root, [], file), false);
});
