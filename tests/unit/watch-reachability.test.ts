/** Which roots came, went or came back: decided from made-up presence answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Presence } from '../../main/core/library/presence.js';
import { reachabilityChanges, rosterChange, unreachableRoots } from '../../main/core/watch/reachability.js';

const here = (device = 1): Presence => ({ present: true, device });
const gone = (reason = 'unplugged'): Presence => ({ present: false, reason });

test('roots added or removed beside the watcher are told apart from no change', () => {
  assert.deepEqual(rosterChange(new Set(['/a']), new Set(['/a', '/b'])), { added: ['/b'], changed: true });
  assert.deepEqual(rosterChange(new Set(['/a', '/b']), new Set(['/a'])), { added: [], changed: true });
  assert.deepEqual(rosterChange(new Set(['/a']), new Set(['/a'])), { added: [], changed: false });
});

test('an offline root that answers is back; an online one that does not is lost; the rest is no change', async () => {
  const rows = [
    { path: '/back', offline_since: 5, device: 3 },
    { path: '/lost', offline_since: null, device: 1 },
    { path: '/still-here', offline_since: null, device: 1 },
    { path: '/still-gone', offline_since: 5, device: 1 },
  ];
  const answers: Record<string, Presence> = { '/back': here(9), '/lost': gone('missing'), '/still-here': here(), '/still-gone': gone() };
  const asked: [string, number | null][] = [];
  const changes = await reachabilityChanges(rows, async (root, device) => (asked.push([root, device]), answers[root]));
  assert.deepEqual(changes, [
    { root: '/back', back: true, device: 9 },
    { root: '/lost', back: false, reason: 'missing' },
  ]);
  assert.deepEqual(asked[0], ['/back', 3], 'asked with the recorded device (an empty mount point is not the drive)');
});

test('before deleting files seen gone, only the roots holding them are asked, and an unreachable outer root covers its nested ones', async () => {
  const asked: string[] = [];
  const answers: Record<string, Presence> = { '/drive': gone('unplugged'), '/drive/share': here(), '/other': here() };
  const lost = await unreachableRoots(['/drive/share/a.jpg', '/drive/b.jpg'], ['/drive', '/drive/share', '/other', '/unrelated'], [], async (root) => (asked.push(root), answers[root]));
  assert.deepEqual(lost, [{ root: '/drive', reason: 'unplugged' }]);
  assert.deepEqual(asked, ['/drive'], '/drive/share lies inside the lost root; /other and /unrelated hold nothing gone');
});

test('a root already offline, or inside one, is not asked', async () => {
  const asked: string[] = [];
  const lost = await unreachableRoots(['/nas/share/a.jpg', '/disk/b.jpg'], ['/nas/share', '/disk'], ['/nas'], async (root) => (asked.push(root), gone()));
  assert.deepEqual(asked, ['/disk']);
  assert.deepEqual(lost, [{ root: '/disk', reason: 'unplugged' }]);
});
