import { MonotonicClock, ServiceOverloadedError, SystemMonotonicClock } from '@app/platform';
import { HashingCapacity } from '../password/password-hasher.port';

export interface ConcurrencyLimiterOptions {
  /**
   * Longest expected wait in the queue: a task is queued only while
   * `position in the queue x average task time / concurrency` stays within it. Default: no bound
   * but the queue limit.
   */
  maxWaitMs?: number;
  /** Where task durations are measured (performance.now() by default; tests pass a manual one). */
  clock?: MonotonicClock;
  /** Task time assumed until the first task is measured. */
  initialEstimateMs?: number;
  /** Weight of each measured duration in the moving average, in (0, 1]. */
  smoothing?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  queuedAt: number;
}

/** Longest Retry-After we suggest, in seconds. */
const MAX_RETRY_AFTER_SECONDS = 60;

/**
 * Runs at most `concurrency` tasks at once and queues more only while their expected wait is
 * bounded: at most `queueLimit` of them (a hard cap), and only while
 * `position x averageTaskMs / concurrency <= maxWaitMs`, where averageTaskMs is a moving average of
 * measured task times, from start until the completion is seen (so it follows the real hash rate,
 * CPU contention and event-loop lag included). Past either bound it
 * refuses at once with ServiceOverloadedError (503 with Retry-After), so overload is answered
 * quickly instead of piling up multi-second latencies. The wait is also enforced: a queued task
 * whose turn comes after more than maxWaitMs is refused then instead of run (the estimate lags when
 * tasks suddenly get slower, e.g. when a flood starts competing with them for the CPU).
 *
 * `wouldAdmit()`/`tryReserve()` answer the same question before any work is done for a request
 * (apps/api/src/http/hashing-admission.ts): a reservation counts as work headed for the queue until it
 * is released, so a burst of requests cannot all pass the cheap check and then be refused, one by
 * one, at the expensive point. `run()` itself only looks at the tasks really running or queued
 * (the caller usually holds a reservation), and stays the backstop for that race.
 */
export class ConcurrencyLimiter implements HashingCapacity {
  private running = 0;
  private reservations = 0;
  private refused = 0;
  private readonly queue: Waiter[] = [];
  private readonly maxWaitMs: number;
  private readonly clock: MonotonicClock;
  private readonly smoothing: number;
  private averageMs: number;
  private measured = false;

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
    options: ConcurrencyLimiterOptions = {},
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be at least 1');
    if (!(queueLimit >= 0)) throw new RangeError('queueLimit must not be negative');
    this.maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
    if (!(this.maxWaitMs >= 0)) throw new RangeError('maxWaitMs must not be negative');
    this.clock = options.clock ?? new SystemMonotonicClock();
    this.smoothing = options.smoothing ?? 0.2;
    if (!(this.smoothing > 0 && this.smoothing <= 1)) throw new RangeError('smoothing must be in (0, 1]');
    this.averageMs = options.initialEstimateMs ?? 100;
    if (!(this.averageMs >= 0)) throw new RangeError('initialEstimateMs must not be negative');
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (!this.admitsAt(this.queue.length + 1)) throw this.refusal();
      await new Promise<void>((resolve, reject) => this.queue.push({ resolve, reject, queuedAt: this.clock.nowMs() }));
    } else {
      this.running += 1;
    }
    const started = this.clock.nowMs();
    try {
      const result = await task();
      this.record(this.clock.nowMs() - started);
      return result;
    } finally {
      this.handOver();
    }
  }

  /**
   * Gives the freed slot to the oldest waiter still within its wait budget. A waiter that has waited
   * longer than maxWaitMs (the estimate at admission was too low, e.g. the machine slowed down under
   * load) is refused now rather than run late: it would only add its lateness to everyone behind it.
   */
  private handOver(): void {
    const now = this.clock.nowMs();
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      if (now - next.queuedAt <= this.maxWaitMs) return next.resolve(); // the slot passes on directly
      next.reject(this.refusal());
    }
    this.running -= 1;
  }

  /** Whether one more task arriving now would be run or queued (not refused). Cheap; does no work. */
  wouldAdmit(): boolean {
    const ahead = Math.max(this.running + this.queue.length, this.reservations);
    return ahead < this.concurrency || this.admitsAt(ahead - this.concurrency + 1);
  }

  /**
   * Reserves a place for a task to come (e.g. the hash of a request whose body is not read yet), or
   * returns null when it would be refused. Call the returned function (idempotent) when the request
   * ends.
   */
  tryReserve(): (() => void) | null {
    if (!this.wouldAdmit()) {
      this.refused += 1;
      return null;
    }
    this.reservations += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reservations -= 1;
    };
  }

  get refusals(): number {
    return this.refused;
  }

  private refusal(): ServiceOverloadedError {
    this.refused += 1;
    return new ServiceOverloadedError(this.retryAfterSeconds());
  }

  /** Seconds after which the present backlog should have drained: the Retry-After of a refusal. */
  retryAfterSeconds(): number {
    const ahead = Math.max(this.running + this.queue.length, this.reservations);
    const backlogMs = (Math.max(0, ahead - this.concurrency) * this.averageMs) / this.concurrency;
    return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(backlogMs / 1000)));
  }

  /** Expected wait of a task at this 1-based position in the queue. */
  expectedWaitMs(position: number): number {
    return (position * this.averageMs) / this.concurrency;
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.queue.length;
  }

  get reserved(): number {
    return this.reservations;
  }

  /** Moving average of measured task times (the initial estimate until one is measured). */
  get averageTaskMs(): number {
    return this.averageMs;
  }

  private admitsAt(position: number): boolean {
    return position <= this.queueLimit && this.expectedWaitMs(position) <= this.maxWaitMs;
  }

  /** Only completed tasks are measured: a failure is usually quick and says little about the cost. */
  private record(durationMs: number): void {
    const sample = Math.max(0, durationMs);
    this.averageMs = this.measured ? this.averageMs + this.smoothing * (sample - this.averageMs) : sample;
    this.measured = true;
  }
}
