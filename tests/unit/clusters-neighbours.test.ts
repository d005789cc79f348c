/**
 * The exact k-NN search behind small graphs and re-ranking, given the typed arrays the rest of the
 * code hands it: views into larger buffers as well as fresh arrays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactNeighbours, knnGraph } from '../../main/core/clusters/neighbours.js';

const DIMS = 4;
// Row 0 is a decoy that would win every dot product; the rows after it are the unit axes.
const buffer = new Float32Array([9, 9, 9, 9, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
const axes = buffer.subarray(DIMS); // rows: e1, e2, e3

test('exact neighbours search the rows of a view into a larger buffer, not the buffer from its start', () => {
  const queries = buffer.subarray(2 * DIMS, 4 * DIMS); // e2, e3
  const keys = exactNeighbours(axes, queries, DIMS, 1, 1);
  assert.deepEqual([...keys].map(Number), [1, 2]);
});

test('an exact k-NN graph of a view finds each row itself among its rows', () => {
  const graph = knnGraph(axes, DIMS, 2, { threads: 1 });
  assert.equal(graph.n, 3);
  for (let row = 0; row < 3; row++) {
    const neighbours = [...graph.neighbours.subarray(row * 2, row * 2 + 2)];
    assert.ok(!neighbours.includes(row), `row ${row} lists itself`);
    assert.deepEqual([...neighbours].sort(), [0, 1, 2].filter((r) => r !== row));
    // Orthogonal axes: every similarity is 0, never the decoy's 9.
    for (const s of graph.similarities.subarray(row * 2, row * 2 + 2)) assert.ok(Math.abs(s) < 1e-6, `similarity ${s}`);
  }
});
