/** What a throttle decided about one more attempt. */
export interface ThrottleDecision {
  allowed: boolean;
  /** Seconds until the key may try again (when refused). */
  retryAfterSeconds: number;
}

/** A budget of attempts per key (e.g. a client address) over a fixed window. */
export interface ThrottleLimit {
  /** Names the counters (a table or collection suffix): letters, digits and underscores. */
  name: string;
  points: number;
  durationSeconds: number;
}

export interface Throttle {
  consume(key: string): Promise<ThrottleDecision>;
  /** Gives back an attempt that was refused for another reason (e.g. overload) before it counted. */
  refund(key: string): Promise<void>;
}

/**
 * Throttles that every API process shares: the counters live in the read store's database
 * (SQLite file or MongoDB), not in one process's memory, so N replicas do not give N budgets.
 */
export abstract class Throttles {
  abstract create(limit: ThrottleLimit): Throttle;
  abstract close(): Promise<void>;
}
