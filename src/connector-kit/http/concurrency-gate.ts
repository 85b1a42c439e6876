/**
 * A semaphore whose limit can change while work waits: after a 429 the caller shrinks it so the
 * upstream sees fewer requests at once, and lets it grow back as requests succeed.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private limit: number,
    private readonly max = limit,
  ) {}

  get current(): number {
    return this.limit;
  }

  /** Work holding a slot now. */
  get running(): number {
    return this.active;
  }

  /** Work waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    while (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.queue.shift()?.();
    }
  }

  /** Halve the limit (never below 1) after the upstream throttled us. */
  shrink(): void {
    this.limit = Math.max(1, Math.floor(this.limit / 2));
  }

  /** Grow back by one towards the maximum after a success. */
  grow(): void {
    if (this.limit < this.max) {
      this.limit += 1;
      this.queue.shift()?.();
    }
  }
}
