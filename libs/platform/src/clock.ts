/** Time is injected so that tests move it instead of sleeping. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  override now(): Date {
    return new Date();
  }
}

/** A clock tests set and advance by hand. */
export class ManualClock extends Clock {
  constructor(private current = new Date('2026-01-01T00:00:00.000Z')) {
    super();
  }

  override now(): Date {
    return new Date(this.current);
  }

  set(time: Date | string): void {
    this.current = new Date(time);
  }

  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}

/**
 * Milliseconds from an arbitrary origin that never go backwards: for measuring how long work takes
 * (not what time it is). Injected like Clock, so tests set durations instead of sleeping.
 */
export abstract class MonotonicClock {
  abstract nowMs(): number;
}

export class SystemMonotonicClock extends MonotonicClock {
  override nowMs(): number {
    return performance.now();
  }
}

/** A monotonic clock tests advance by hand. */
export class ManualMonotonicClock extends MonotonicClock {
  constructor(private current = 0) {
    super();
  }

  override nowMs(): number {
    return this.current;
  }

  advance(milliseconds: number): void {
    if (milliseconds < 0) throw new RangeError('a monotonic clock does not go backwards');
    this.current += milliseconds;
  }
}
