/**
 * Rate and ETA for long work. The rate is measured between completions only (never from the
 * start, which includes the engine's start-up, nor from files that were skipped at once) over a
 * sliding window, and no ETA is given until enough photos over enough seconds were measured:
 * the first batch after a 20 s model load once read as "8 h 2 min left" for 140 photos.
 */
const WINDOW_MS = 20_000;
/** Measured completions, and the seconds they must span, before an ETA is shown. */
const MIN_MEASURED = 8;
const MIN_SECONDS = 3;

export class ProgressMeter {
  private done = 0;
  private measured = 0;
  private readonly samples: { at: number; measured: number }[] = [];

  constructor(
    private total: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** More work joined (a watcher's queue grows while it runs). */
  grow(count: number): void {
    this.total += count;
  }

  /** `count` more done; `timed: false` for work that took no real time (skipped files). */
  advance(count: number, timed = true): void {
    this.done += count;
    if (!timed) return;
    this.measured += count;
    const at = this.now();
    this.samples.push({ at, measured: this.measured });
    while (this.samples.length > 2 && at - this.samples[0].at > WINDOW_MS) this.samples.shift();
  }

  snapshot(): { done: number; total: number; imagesPerSecond: number; etaSeconds: number | null } {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = first && last ? (last.at - first.at) / 1000 : 0;
    // Photos completed after the first sample, over the time since it.
    const rate = seconds > 0 ? (last.measured - first.measured) / seconds : 0;
    const settled = this.measured >= MIN_MEASURED && seconds >= MIN_SECONDS && rate > 0;
    return {
      done: this.done,
      total: this.total,
      imagesPerSecond: settled ? rate : 0,
      etaSeconds: settled ? Math.max(0, this.total - this.done) / rate : null,
    };
  }
}
