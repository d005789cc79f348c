import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WATCH_DEFAULTS, withDefaults } from '../../main/core/watch/options.js';

test('a timing left out, or given as undefined, takes its default; one given is kept', () => {
  const options = withDefaults({ debounceMs: 5, stableMs: undefined, polling: true });
  assert.equal(options.debounceMs, 5);
  assert.equal(options.stableMs, WATCH_DEFAULTS.stableMs);
  assert.equal(options.deleteGraceMs, WATCH_DEFAULTS.deleteGraceMs);
  assert.equal(options.polling, true);
});
