/**
 * The engine setting is saved as "applies at the next launch": a launch (serve, the desktop app's
 * service) reads it back, and an --engine on the command line still wins.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launchEngine, SettingsStore, settingsPathFor } from '../../main/api/settings.js';
import { tempDir } from '../helpers/datasets.js';

test('a launch runs the saved engine unless one is asked for; auto when none was saved', () => {
  const root = tempDir('likeness-launch-engine-');
  const db = path.join(root, 'library.db');
  assert.equal(launchEngine(undefined, db), 'auto', 'nothing saved yet');
  new SettingsStore(settingsPathFor(db)).update({ engine: 'tfjs' });
  assert.equal(launchEngine(undefined, db), 'tfjs', 'the saved engine, at the next launch');
  assert.equal(launchEngine('onnx', db), 'onnx', '--engine wins over the saved setting');
  assert.equal(launchEngine(undefined, path.join(root, 'other.db')), 'auto', 'another library has its own settings');
  fs.writeFileSync(settingsPathFor(db), '{"engine": "cuda"}');
  assert.equal(launchEngine(undefined, db), 'auto', 'an unknown engine on disk falls back to auto');
});
