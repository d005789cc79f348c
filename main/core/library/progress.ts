/** Rate and ETA for long work, smoothed over a sliding window so the ETA does not jump about. */
export class ProgressMeter {
  private done = 0;
  private readonly samples: { at: number; done: number }[] = [];
  private readonly started = Date.now();

  constructor(private total: number) {
    this.samples.push({ at: this.started, done: 0 });
  }

  /** More work joined (a watcher's queue grows while it runs). */
  grow(count: number): void {
    this.total += count;
  }

  advance(count: number): void {
    this.done += count;
    const now = Date.now();
    this.samples.push({ at: now, done: this.done });
    while (this.samples.length > 2 && now - this.samples[0].at > 10_000) this.samples.shift();
  }

  snapshot(): { done: number; total: number; imagesPerSecond: number; etaSeconds: number | null } {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    const rate = seconds > 0 ? (last.done - first.done) / seconds : 0;
    const remaining = this.total - this.done;
    return {
      done: this.done,
      total: this.total,
      imagesPerSecond: rate,
      etaSeconds: rate > 0 ? remaining / rate : null,
    };
  }
}
