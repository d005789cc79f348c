/**
 * Candidate pair keys (whole numbers from 0 to 2^53), each kept once, iterated in the order first
 * added. A million photos give tens of millions of candidate pairs: more than one V8 Set can hold
 * (2^24), and as boxed numbers in Sets they took 1.8 GB. Here they are plain doubles in an
 * open-addressing table with linear probing, about 16 bytes a key.
 */
const EMPTY = -1;
const MAX_LOAD = 0.7;

export class PairKeys {
  private slots = new Float64Array(1 << 12).fill(EMPTY);
  private order = new Float64Array(1 << 11);
  private count = 0;

  /** Adds the key unless it is already here. */
  add(key: number): void {
    if (this.count + 1 > this.slots.length * MAX_LOAD) this.grow();
    const slot = this.find(key);
    if (this.slots[slot] === key) return;
    this.slots[slot] = key;
    if (this.count === this.order.length) {
      const order = new Float64Array(this.order.length * 2);
      order.set(this.order);
      this.order = order;
    }
    this.order[this.count++] = key;
  }

  has(key: number): boolean {
    return this.slots[this.find(key)] === key;
  }

  get size(): number {
    return this.count;
  }

  [Symbol.iterator](): Iterator<number> {
    return this.order.subarray(0, this.count)[Symbol.iterator]();
  }

  /** The slot holding the key, or the empty slot where it belongs. */
  private find(key: number): number {
    const mask = this.slots.length - 1;
    let slot = mix(key) & mask;
    for (;;) {
      const held = this.slots[slot];
      if (held === key || held === EMPTY) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    this.slots = new Float64Array(this.slots.length * 2).fill(EMPTY);
    for (let i = 0; i < this.count; i++) this.slots[this.find(this.order[i])] = this.order[i];
  }
}

/** Both 32-bit halves of the key through MurmurHash3's finaliser: keys i·n + j differ in few bits. */
function mix(key: number): number {
  let h = (key >>> 0) ^ Math.imul(Math.floor(key / 2 ** 32), 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
