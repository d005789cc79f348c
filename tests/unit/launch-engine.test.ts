/**
 * The engine setting is saved as "applies at the next launch": a launch (serve, the desktop app's
 * service) reads it back, and an --engine on the command line still wins.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launchEngine, SettingsStore, settingsPathFor } from '../../main/api/settings.js';
import { Library } from '../../main/core/library.js';
import { tempDir } from '../helpers/datasets.js';

test('a launch runs the saved engine unless one is asked for; auto when none was saved', async () => {
  const root = tempDir('likeness-launch-engine-');
  const db = path.join(root, 'library.db');
  const other = path.join(root, 'other.db');
  const library = Library.open({ dbPath: db });
  const otherLibrary = Library.open({ dbPath: other });
  try {
    assert.equal(launchEngine(undefined, library, settingsPathFor(db)), 'auto', 'nothing saved yet');
    new SettingsStore(settingsPathFor(db), library).update({ engine: 'tfjs' });
    assert.equal(launchEngine(undefined, library, settingsPathFor(db)), 'tfjs', 'the saved engine, at the next launch');
    assert.equal(launchEngine('onnx', library, settingsPathFor(db)), 'onnx', '--engine wins over the saved setting');
    assert.equal(launchEngine(undefined, otherLibrary, settingsPathFor(other)), 'auto', 'another library has its own settings');
    fs.writeFileSync(settingsPathFor(other), '{"engine": "cuda"}');
    assert.equal(launchEngine(undefined, otherLibrary, settingsPathFor(other)), 'auto', 'an unknown engine in an old settings file falls back to auto');
    library.useEngine('onnx');
    await library.pool();
    assert.throws(() => library.useEngine('tfjs'), /next launch/, 'the engine cannot change under running workers');
  } finally {
    await library.close();
    await otherLibrary.close();
  }
});
