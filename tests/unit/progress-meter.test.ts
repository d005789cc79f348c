/** ProgressMeter: no ETA from a start-up pause or a first batch; a steady rate gives a sane one. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressMeter } from '../../main/core/library/progress.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, wait: (ms: number) => (t += ms) };
}

test('a model load before the first batch does not make an ETA of hours', () => {
  const c = clock();
  const meter = new ProgressMeter(140, c.now);
  c.wait(20_000); // the engine starts
  meter.advance(2); // the first batch
  assert.equal(meter.snapshot().etaSeconds, null, 'one batch is no rate');
  // Then a steady 10 photos a second (a batch of 2 every 200 ms).
  for (let i = 0; i < 20; i++) {
    c.wait(200);
    meter.advance(2);
  }
  const s = meter.snapshot();
  assert.ok(Math.abs(s.imagesPerSecond - 10) < 0.01, `rate ${s.imagesPerSecond}`);
  assert.ok(s.etaSeconds !== null && Math.abs(s.etaSeconds - (140 - 42) / 10) < 0.01, `eta ${s.etaSeconds}`);
});

test('no ETA until enough photos over enough seconds were measured', () => {
  const c = clock();
  const meter = new ProgressMeter(1000, c.now);
  meter.advance(1);
  c.wait(500);
  meter.advance(1);
  assert.equal(meter.snapshot().etaSeconds, null, 'two photos, half a second');
  for (let i = 0; i < 10; i++) {
    c.wait(100);
    meter.advance(1);
  }
  assert.equal(meter.snapshot().etaSeconds, null, 'twelve photos in 1.5 s: not yet');
  c.wait(2000);
  meter.advance(1);
  assert.notEqual(meter.snapshot().etaSeconds, null);
});

test('files skipped at once count as done but not towards the rate', () => {
  const c = clock();
  const meter = new ProgressMeter(200, c.now);
  meter.advance(1);
  meter.advance(100, false); // unchanged since queued: no work
  for (let i = 0; i < 10; i++) {
    c.wait(500);
    meter.advance(1);
  }
  const s = meter.snapshot();
  assert.equal(s.done, 111);
  assert.ok(Math.abs(s.imagesPerSecond - 2) < 0.01, `rate ${s.imagesPerSecond}`);
  assert.ok(s.etaSeconds !== null && Math.abs(s.etaSeconds - 89 / 2) < 0.01);
});
