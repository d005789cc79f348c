/** The pixel budget that bounds whole-image decodes in flight: never over it, first come first served, a big one alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PixelBudget } from '../../main/core/imaging/pixel-budget.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

test('decodes wait while the budget is spent, start in order, and never exceed it together', async () => {
  const budget = new PixelBudget(100);
  const started: string[] = [];
  let peak = 0;
  const gates = new Map<string, ReturnType<typeof gate>>();
  const job = (name: string, pixels: number) => {
    const g = gate();
    gates.set(name, g);
    return budget.run(pixels, async () => {
      started.push(name);
      peak = Math.max(peak, budget.held);
      await g.opened;
    });
  };
  const all = [job('a 60', 60), job('b 30', 30), job('c 50', 50), job('d 10', 10), job('huge 500', 500)];
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(started, ['a 60', 'b 30'], 'c waits (60+30+50 > 100), and d waits behind it (first come, first served)');
  gates.get('a 60')!.open();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(started, ['a 60', 'b 30', 'c 50', 'd 10']);
  gates.get('b 30')!.open();
  gates.get('c 50')!.open();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(started.length, 4, 'the huge one waits for the budget to be free');
  gates.get('d 10')!.open();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(started[4], 'huge 500', 'and then runs alone');
  gates.get('huge 500')!.open();
  await Promise.all(all);
  assert.ok(peak <= 100, `held at most the budget (${peak})`);
  assert.equal(budget.held, 0);
});

test('a failed decode gives its pixels back', async () => {
  const budget = new PixelBudget(10);
  await assert.rejects(budget.run(10, async () => Promise.reject(new Error('bad image'))), /bad image/);
  assert.equal(budget.held, 0);
  assert.equal(await budget.run(10, async () => 'next'), 'next');
});
