import type { Clock } from '@app/platform';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window frees up (when refused). */
  retryAfterSeconds: number;
}

/**
 * A fixed-window counter per key (e.g. per client IP), in this process's memory. Behind several
 * API replicas each replica counts on its own; the per-account lockout, which is in the event log,
 * is what holds across replicas.
 */
export class FixedWindowRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    private readonly maxKeys = 100_000,
  ) {}

  consume(key: string): RateDecision {
    const now = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size >= this.maxKeys) this.evictExpired(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.limit) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000)) };
  }

  /**
   * Gives back one attempt consumed in the key's current window, for a request that was then refused
   * for a reason that is not the caller's (e.g. 503 overloaded). Nothing to give back once that
   * window has ended: the attempt was counted in a window that no longer exists.
   */
  refund(key: string): void {
    const window = this.windows.get(key);
    if (window && window.count > 0 && this.clock.now().getTime() - window.start < this.windowMs) window.count -= 1;
  }

  private evictExpired(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
    // Still full (a flood of distinct keys): start over rather than grow without bound.
    if (this.windows.size >= this.maxKeys) this.windows.clear();
  }
}
