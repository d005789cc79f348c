/** Cluster names: what the photos share, told apart when two clusters would read the same. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameClusters } from '../../main/api/cluster-names.js';
import type { PhotoDetail } from '../../main/core/types.js';
import { photoDetail } from '../helpers/photo-detail.js';

const photos = new Map<number, PhotoDetail>();
let next = 1;
/** `n` photos in `folder`, taken in the given month (YYYY-MM). */
function members(folder: string, n: number, month: string): number[] {
  return Array.from({ length: n }, (_, i) => {
    const id = next++;
    photos.set(id, photoDetail(id, `/lib/${folder}/p${id}.jpg`, { takenAt: `${month}-${String(1 + (i % 27)).padStart(2, '0')}T12:00:00.000Z` }));
    return id;
  });
}
const photoOf = (id: number) => photos.get(id) ?? null;

test('a folder most photos share names the cluster; two folders join with "&"', () => {
  const names = nameClusters([{ memberIds: members('red', 6, '2024-03') }, { memberIds: [...members('beach', 5, '2023-07'), ...members('dunes', 4, '2023-07')] }], photoOf);
  assert.deepEqual(names, ['red', 'beach & dunes']);
});

test('clusters that would share a name are told apart by when and how many (no five "edits")', () => {
  const clusters = [
    { memberIds: members('edits', 8, '2023-07') },
    { memberIds: members('edits', 5, '2023-09') },
    { memberIds: members('edits', 4, '2023-09') },
    { memberIds: members('edits', 4, '2023-09') },
    { memberIds: members('portraits', 3, '2023-09') },
  ];
  const names = nameClusters(clusters, photoOf);
  assert.equal(new Set(names).size, names.length, `every name differs: ${names}`);
  assert.equal(names[0], 'edits · Jul 2023');
  assert.equal(names[1], 'edits · Sep 2023 · 5 photos');
  assert.match(names[2], /^edits · Sep 2023 · 4 photos \(1\)$/);
  assert.equal(names[4], 'portraits', 'a unique name stays short');
});

test('without a shared folder, the period names the cluster', () => {
  const mixed = [...members('a', 1, '2022-12'), ...members('b', 1, '2023-01'), ...members('c', 1, '2023-01'), ...members('d', 1, '2023-01'), ...members('e', 1, '2023-01')];
  assert.deepEqual(nameClusters([{ memberIds: mixed }], photoOf), ['Photos from Dec 2022–Jan 2023']);
});
