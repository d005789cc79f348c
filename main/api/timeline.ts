/**
 * The layout data of a grid: every photo id of a view in display order, cut into groups (months
 * when sorted by date, folders when sorted by name). Only ids travel — thumbnails are fetched by
 * id — so even a 100k-photo library costs one small answer (~0.7 MB of JSON).
 */
import path from 'node:path';
import type { PhotoSummary, Timeline, TimelineGroup, TimelineGrouping, TimelineQuery } from '../../preload/contract.js';
import type { CoreLibrary, TimelineRow } from './library-port.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function buildTimeline(library: CoreLibrary, q: TimelineQuery): Timeline {
  const sort = q.sort ?? 'date';
  const grouping: TimelineGrouping = sort === 'date' ? 'month' : sort === 'name' ? 'folder' : 'none';
  const ids: number[] = [];
  const groups: TimelineGroup[] = [];
  const add = (photo: TimelineRow) => {
    const key = groupKey(photo, grouping);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.count++;
    else groups.push({ key, label: groupLabel(grouping, key), start: ids.length, count: 1 });
    ids.push(photo.id);
  };
  // Only id, path and dates of each photo: whole rows would be ~8× slower at 100k photos.
  for (const row of library.timelineRows({ folder: q.folder, sort, order: q.order })) add(row);
  return { total: ids.length, ids, groups, grouping };
}

export function photoMonth(photo: Pick<PhotoSummary, 'takenAt' | 'mtimeMs'>): string {
  if (photo.takenAt && /^\d{4}-\d{2}/.test(photo.takenAt)) return photo.takenAt.slice(0, 7);
  const d = new Date(photo.mtimeMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

function groupKey(photo: TimelineRow, grouping: TimelineGrouping): string {
  switch (grouping) {
    case 'month':
      return photoMonth(photo);
    case 'folder':
      return path.dirname(photo.path);
    case 'none':
      return 'all';
  }
}

function groupLabel(grouping: TimelineGrouping, key: string): string {
  switch (grouping) {
    case 'month': {
      const [year, month] = key.split('-');
      return `${MONTHS[Number(month) - 1] ?? month} ${year}`;
    }
    case 'folder':
      return path.basename(key) || key;
    case 'none':
      return 'All photos';
  }
}
