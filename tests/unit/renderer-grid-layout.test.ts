/**
 * The grid's layout arithmetic (renderer/src/components/grid-layout.ts): columns and tile size
 * from the width, header and photo rows per group, finding rows by position, and where the arrow
 * keys move the focus.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstRowAt, layoutGrid, moveFocus, photoRowOf, type GridGroup, type LayoutInput } from '../../renderer/src/components/grid-layout.js';

const base: LayoutInput = { width: 1000, total: 0, groups: null, minTile: 100, gap: 4, headerHeight: 40, padding: 8 };
const starts = (layout: ReturnType<typeof layoutGrid>) => layout.rows.map((r) => (r.kind === 'header' ? `h:${r.group.key}` : `${r.start}+${r.count}`));

describe('layoutGrid', () => {
  it('an empty library: no rows, just the padding', () => {
    const layout = layoutGrid(base);
    assert.deepEqual(layout.rows, []);
    assert.deepEqual(layout.photoRows, []);
    assert.equal(layout.height, 16);
    // 984 px inside the padding: nine 105 px tiles and eight 4 px gaps.
    assert.equal(layout.columns, 9);
    assert.equal(layout.tile, 105);
  });

  it('one photo: one row at the top padding, one tile plus its gap high', () => {
    const layout = layoutGrid({ ...base, total: 1 });
    assert.deepEqual(starts(layout), ['0+1']);
    assert.deepEqual(layout.photoRows, [0]);
    assert.equal(layout.rows[0].top, 8);
    assert.equal(layout.rows[0].height, 109);
    assert.equal(layout.height, 8 + 109 + 8);
  });

  it('fills rows of `columns` tiles, the last one partly', () => {
    const layout = layoutGrid({ ...base, total: 20 });
    assert.deepEqual(starts(layout), ['0+9', '9+9', '18+2']);
    assert.deepEqual(layout.rows.map((r) => r.top), [8, 117, 226]);
    assert.equal(layout.height, 8 + 3 * 109 + 8);
  });

  it('a very wide window: many columns, tiles never below the minimum size', () => {
    const layout = layoutGrid({ ...base, width: 100_000, total: 2000 });
    assert.equal(layout.columns, 961);
    assert.equal(layout.tile, 100);
    assert.deepEqual(starts(layout), ['0+961', '961+961', '1922+78']);
    assert.ok(layout.columns * layout.tile + (layout.columns - 1) * layout.gap <= 100_000 - 16);
  });

  it('a window narrower than one tile: one column of minimum-size tiles', () => {
    const layout = layoutGrid({ ...base, width: 50, total: 3 });
    assert.equal(layout.columns, 1);
    assert.equal(layout.tile, 100);
    assert.deepEqual(starts(layout), ['0+1', '1+1', '2+1']);
  });

  it('groups: a header row before each, rows never span two groups', () => {
    const groups: GridGroup[] = [
      { key: '2024-05', label: 'May 2024', start: 0, count: 10 },
      { key: '2024-04', label: 'April 2024', start: 10, count: 1 },
    ];
    const layout = layoutGrid({ ...base, total: 11, groups });
    assert.deepEqual(starts(layout), ['h:2024-05', '0+9', '9+1', 'h:2024-04', '10+1']);
    assert.deepEqual(layout.photoRows, [1, 2, 4]);
    assert.deepEqual(layout.rows.map((r) => r.top), [8, 48, 157, 266, 306]);
    assert.equal(layout.height, 306 + 109 + 8);
  });

  it('an empty list of groups lays out as no groups (no headers)', () => {
    assert.deepEqual(starts(layoutGrid({ ...base, total: 3, groups: [] })), ['0+3']);
  });
});

describe('finding rows', () => {
  const layout = layoutGrid({ ...base, total: 20 }); // rows at 8, 117, 226; each 109 high

  it('firstRowAt: the first row whose bottom is below y', () => {
    assert.equal(firstRowAt(layout.rows, 0), 0);
    assert.equal(firstRowAt(layout.rows, 116), 0);
    assert.equal(firstRowAt(layout.rows, 117), 1);
    assert.equal(firstRowAt(layout.rows, 300), 2);
    assert.equal(firstRowAt(layout.rows, 1e9), 2, 'past the end: the last row');
  });

  it('photoRowOf: the photo row holding an index', () => {
    assert.equal(photoRowOf(layout, 0), 0);
    assert.equal(photoRowOf(layout, 8), 0);
    assert.equal(photoRowOf(layout, 9), 1);
    assert.equal(photoRowOf(layout, 19), 2);
  });
});

describe('moveFocus', () => {
  const groups: GridGroup[] = [
    { key: 'a', label: 'A', start: 0, count: 12 },
    { key: 'b', label: 'B', start: 12, count: 3 },
  ];
  const layout = layoutGrid({ ...base, total: 15, groups }); // photo rows: 0+9, 9+3, 12+3

  it('left and right step one photo, stopping at the ends', () => {
    assert.equal(moveFocus(layout, 15, 0, 'left'), 0);
    assert.equal(moveFocus(layout, 15, 5, 'left'), 4);
    assert.equal(moveFocus(layout, 15, 8, 'right'), 9, 'right wraps into the next row');
    assert.equal(moveFocus(layout, 15, 14, 'right'), 14);
  });

  it('up and down keep the column, clamped to a shorter row, across group headers', () => {
    assert.equal(moveFocus(layout, 15, 7, 'down'), 11, 'column 7 of a 3-photo row: its last photo');
    assert.equal(moveFocus(layout, 15, 10, 'down'), 13, 'into the next group, same column');
    assert.equal(moveFocus(layout, 15, 13, 'up'), 10);
    assert.equal(moveFocus(layout, 15, 2, 'up'), 2, 'the first row stays');
    assert.equal(moveFocus(layout, 15, 13, 'down'), 13, 'the last row stays');
  });

  it('page keys move several rows, home and end jump to the ends', () => {
    assert.equal(moveFocus(layout, 15, 1, 'pagedown'), 13);
    assert.equal(moveFocus(layout, 15, 13, 'pageup', 1), 10);
    assert.equal(moveFocus(layout, 15, 13, 'pageup'), 1);
    assert.equal(moveFocus(layout, 15, 6, 'home'), 0);
    assert.equal(moveFocus(layout, 15, 6, 'end'), 14);
  });

  it('no photos: nowhere to go; no focus yet: the first photo', () => {
    assert.equal(moveFocus(layoutGrid(base), 0, 0, 'down'), -1);
    assert.equal(moveFocus(layout, 15, -1, 'down'), 0);
  });
});
