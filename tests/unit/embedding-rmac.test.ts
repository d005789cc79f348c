/** R-MAC pooling of a feature map (embedding/rmac.ts) and the vector model id it enters. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rmacPool, rmacRegions } from '../../main/core/embedding/rmac.js';
import { BACKBONE_MODEL_ID } from '../../main/core/embedding/bundled-backbone.js';
import { vectorModelId } from '../../main/core/embedding/flip-average.js';

test('a 7×7 map has the 14 regions of R-MAC: the whole map, 2×2 of side 4, 3×3 of side 3, edge to edge', () => {
  const regions = rmacRegions(7, 7);
  assert.equal(regions.length, 14);
  assert.deepEqual(regions[0], { y: 0, x: 0, size: 7 });
  assert.deepEqual(regions.slice(1, 5).map((r) => [r.y, r.x, r.size]), [[0, 0, 4], [0, 3, 4], [3, 0, 4], [3, 3, 4]]);
  assert.deepEqual(regions.slice(5).map((r) => [r.y, r.x]), [[0, 0], [0, 2], [0, 4], [2, 0], [2, 2], [2, 4], [4, 0], [4, 2], [4, 4]]);
  for (const r of regions) assert.ok(r.y + r.size <= 7 && r.x + r.size <= 7);
});

test('R-MAC sums the L2-normalised per-region maxima, the same in NHWC and NCHW', () => {
  const [h, w, c] = [7, 7, 3];
  // Channel 0: one hot cell in a corner; channel 1: constant; channel 2: zero.
  const value = (y: number, x: number, ch: number) => (ch === 0 ? (y === 0 && x === 0 ? 5 : 0) : ch === 1 ? 1 : 0);
  const nhwc = new Float32Array(h * w * c);
  const nchw = new Float32Array(h * w * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        nhwc[(y * w + x) * c + ch] = value(y, x, ch);
        nchw[(ch * h + y) * w + x] = value(y, x, ch);
      }
  const a = rmacPool({ data: nhwc, offset: 0, height: h, width: w, channels: c, layout: 'NHWC' });
  const b = rmacPool({ data: nchw, offset: 0, height: h, width: w, channels: c, layout: 'NCHW' });
  assert.deepEqual([...a], [...b]);
  // Regions holding the corner (whole map, one of the 2×2, one of the 3×3): (5,1)/√26 each;
  // the 11 others only see channel 1: (0,1).
  const inCorner = 3;
  assert.ok(Math.abs(a[0] - (inCorner * 5) / Math.sqrt(26)) < 1e-5);
  assert.ok(Math.abs(a[1] - (inCorner / Math.sqrt(26) + 11)) < 1e-5);
  assert.equal(a[2], 0);
});

test('an image in a batch is read from its own offset, and a blank map pools to zeros (no NaN)', () => {
  const per = 2 * 2 * 2;
  const data = new Float32Array(2 * per);
  data.fill(3, per); // image 1: every value 3; image 0: all zero
  const map = (offset: number) => ({ data, offset, height: 2, width: 2, channels: 2, layout: 'NHWC' as const });
  assert.deepEqual([...rmacPool(map(0))], [0, 0]);
  const v = rmacPool(map(per));
  assert.ok(v[0] > 0 && Math.abs(v[0] - v[1]) < 1e-9);
});

test('the bundled backbone’s vectors are named by their pooling; a manifest model’s id covers its own', () => {
  assert.match(vectorModelId(BACKBONE_MODEL_ID), /\+rmac\+/);
  assert.doesNotMatch(vectorModelId('resnet50-imagenet@v1'), /rmac/);
});
