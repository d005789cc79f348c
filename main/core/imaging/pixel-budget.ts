/**
 * A semaphore counted in pixels: decodes that hold a whole image in memory take their pixel count
 * from the budget and wait (first come, first served) while it is spent, so several large photos
 * decoded at once cannot add up past it. One image larger than the budget still runs, alone.
 */
export class PixelBudget {
  private inUse = 0;
  private readonly waiting: { pixels: number; start: () => void }[] = [];

  constructor(readonly capacity: number) {}

  /** Pixels held right now (tests, diagnostics). */
  get held(): number {
    return this.inUse;
  }

  async run<T>(pixels: number, work: () => Promise<T>): Promise<T> {
    const share = Math.min(Math.max(1, pixels), this.capacity);
    await this.acquire(share);
    try {
      return await work();
    } finally {
      this.inUse -= share;
      this.startWaiting();
    }
  }

  private acquire(share: number): Promise<void> {
    if (this.waiting.length === 0 && this.fits(share)) {
      this.inUse += share;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push({
        pixels: share,
        start: () => {
          this.inUse += share;
          resolve();
        },
      }),
    );
  }

  private fits(share: number): boolean {
    return this.inUse === 0 || this.inUse + share <= this.capacity;
  }

  private startWaiting(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0].pixels)) this.waiting.shift()!.start();
  }
}
