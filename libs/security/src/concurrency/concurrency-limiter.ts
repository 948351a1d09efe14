import { ServiceOverloadedError } from '@app/platform';

/**
 * Runs at most `concurrency` tasks at once and queues at most `queueLimit` more; past that it
 * refuses at once with ServiceOverloadedError (503), so overload is answered quickly instead of
 * piling up multi-second latencies.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
  ) {
    if (concurrency < 1) throw new RangeError('concurrency must be at least 1');
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.queue.length >= this.queueLimit) throw new ServiceOverloadedError();
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next(); // hand the slot over directly
      else this.running -= 1;
    }
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.queue.length;
  }
}
