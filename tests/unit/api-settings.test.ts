/** The settings live in the library database; an earlier version's JSON file is imported once. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createApi } from '../../main/api/handlers.js';
import { PREFERENCES_KEY, settingsPathFor } from '../../main/api/settings.js';
import { Library } from '../../main/core/library.js';
import type { Settings } from '../../preload/contract.js';

process.env.LIKENESS_ANNOTATE ??= 'off';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'likeness-settings-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let libraries = 0;
const newDbPath = () => path.join(tmp, `lib-${++libraries}`, 'library.db');

/** Opens the library at dbPath with an API over it, runs `use`, then closes it. */
async function withApi<T>(dbPath: string, use: (api: ReturnType<typeof createApi>, library: Library) => Promise<T> | T): Promise<T> {
  const library = Library.open({ dbPath, annotate: false });
  try {
    return await use(createApi({ library, dbPath, thumbnailDir: library.thumbnailDir, host: { mode: 'web' } }), library);
  } finally {
    await library.close();
  }
}

describe('settings', () => {
  it('keeps the preferences in the database, with no file beside it', async () => {
    const dbPath = newDbPath();
    await withApi(dbPath, async (api) => {
      const s = (await api.handlers.settings(undefined as never)) as Settings;
      assert.equal(s.similarCount, 60, 'the default before anything is set');
      await api.handlers.updateSettings({ similarCount: 30, engine: 'onnx', clusters: { minSize: 4 } });
    });
    assert.deepEqual(fs.readdirSync(path.dirname(dbPath)).filter((f) => f.endsWith('.json')), [], 'no settings file is written');
    const s = await withApi(dbPath, (api) => api.handlers.settings(undefined as never));
    assert.equal(s.similarCount, 30);
    assert.equal(s.engine, 'onnx');
    assert.equal(s.clusters.minSize, 4);
  });

  it("imports an earlier version's settings file once, then renames it", async () => {
    const dbPath = newDbPath();
    const file = settingsPathFor(dbPath);
    const card = path.join(tmp, 'card');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ engine: 'tfjs', clusters: { minSize: 3 }, similarCount: 25, referenceFolders: [card] }));
    await withApi(dbPath, async (api, library) => {
      const s = await api.handlers.settings(undefined as never);
      assert.equal(s.engine, 'tfjs');
      assert.equal(s.similarCount, 25);
      assert.equal(s.clusters.minSize, 3);
      assert.deepEqual(s.referenceFolders, [card]);
      assert.ok(library.settings().getJson(PREFERENCES_KEY), 'the preferences are in the database');
      await api.handlers.updateSettings({ similarCount: 40 });
    });
    assert.equal(fs.existsSync(file), false, 'the old file is not read again');
    assert.ok(fs.existsSync(`${file}.imported`), 'but kept, renamed');
    // An old file appearing again (a copy put back) does not undo what the user changed since.
    fs.writeFileSync(file, JSON.stringify({ similarCount: 25 }));
    const s = await withApi(dbPath, (api) => api.handlers.settings(undefined as never));
    assert.equal(s.similarCount, 40);
  });

  it('falls back to the defaults for a hand-edited file it cannot take', async () => {
    const dbPath = newDbPath();
    const file = settingsPathFor(dbPath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ similarCount: -5, engine: 'cuda' }));
    const s = await withApi(dbPath, (api) => api.handlers.settings(undefined as never));
    assert.equal(s.similarCount, 60);
    assert.equal(s.engine, 'auto');
  });
});
