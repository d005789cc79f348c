/**
 * Layout of a grouped thumbnail grid as fixed-height rows: a header row per group (when the grid
 * has groups) followed by rows of `columns` square tiles. Pure arithmetic, so a 100k-photo library
 * lays out in a few milliseconds and the grid renders only the rows in view.
 */
export interface GridGroup {
  key: string;
  label: string;
  start: number;
  count: number;
}

export type GridRow =
  | { kind: 'header'; top: number; height: number; group: GridGroup }
  | { kind: 'photos'; top: number; height: number; start: number; count: number; group: GridGroup };

export interface GridLayout {
  rows: GridRow[];
  /** For each photo row (in order), its index in `rows`, for keyboard moves. */
  photoRows: number[];
  height: number;
  columns: number;
  tile: number;
  gap: number;
}

export interface LayoutInput {
  width: number;
  total: number;
  groups: GridGroup[] | null;
  minTile: number;
  gap: number;
  headerHeight: number;
  padding: number;
}

export function layoutGrid(input: LayoutInput): GridLayout {
  const { width, total, minTile, gap, headerHeight, padding } = input;
  const inner = Math.max(minTile, width - 2 * padding);
  const columns = Math.max(1, Math.floor((inner + gap) / (minTile + gap)));
  const tile = Math.floor((inner - gap * (columns - 1)) / columns);
  const groups = input.groups && input.groups.length ? input.groups : [{ key: 'all', label: '', start: 0, count: total }];
  const showHeaders = !!input.groups && input.groups.length > 0;
  const rows: GridRow[] = [];
  const photoRows: number[] = [];
  let top = padding;
  for (const group of groups) {
    if (showHeaders) {
      rows.push({ kind: 'header', top, height: headerHeight, group });
      top += headerHeight;
    }
    for (let i = 0; i < group.count; i += columns) {
      photoRows.push(rows.length);
      rows.push({ kind: 'photos', top, height: tile + gap, start: group.start + i, count: Math.min(columns, group.count - i), group });
      top += tile + gap;
    }
  }
  return { rows, photoRows, height: top + padding, columns, tile, gap };
}

/** Index of the first row whose bottom is below `y` (binary search). */
export function firstRowAt(rows: GridRow[], y: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].top + rows[mid].height <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The position (in `photoRows`) of the row holding photo `index`. */
export function photoRowOf(layout: GridLayout, index: number): number {
  const { rows, photoRows } = layout;
  let lo = 0;
  let hi = photoRows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const row = rows[photoRows[mid]] as Extract<GridRow, { kind: 'photos' }>;
    if (row.start <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Where an arrow key moves the focus from photo `index`. */
export function moveFocus(layout: GridLayout, total: number, index: number, key: 'left' | 'right' | 'up' | 'down' | 'home' | 'end' | 'pageup' | 'pagedown', pageRows = 4): number {
  if (total === 0) return -1;
  if (index < 0) return 0;
  switch (key) {
    case 'left':
      return Math.max(0, index - 1);
    case 'right':
      return Math.min(total - 1, index + 1);
    case 'home':
      return 0;
    case 'end':
      return total - 1;
  }
  const delta = key === 'up' ? -1 : key === 'down' ? 1 : key === 'pageup' ? -pageRows : pageRows;
  const at = photoRowOf(layout, index);
  const row = layout.rows[layout.photoRows[at]] as Extract<GridRow, { kind: 'photos' }>;
  const column = index - row.start;
  const targetAt = Math.min(layout.photoRows.length - 1, Math.max(0, at + delta));
  const target = layout.rows[layout.photoRows[targetAt]] as Extract<GridRow, { kind: 'photos' }>;
  return target.start + Math.min(column, target.count - 1);
}
