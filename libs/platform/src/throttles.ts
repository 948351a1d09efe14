import { createHmac } from 'node:crypto';

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

/**
 * Throttles whose counters are named by a keyed hash of the key, never the key itself: a client
 * address is personal data, and counters outlive the requests that made them (in the database
 * file). HMAC, not a plain hash: the 2^32 IPv4 addresses are quickly tried against a plain one.
 */
export class KeyedThrottles extends Throttles {
  constructor(
    private readonly inner: Throttles,
    private readonly hmacKey: Buffer,
  ) {
    super();
  }

  create(limit: ThrottleLimit): Throttle {
    const throttle = this.inner.create(limit);
    const named = (key: string) => createHmac('sha256', this.hmacKey).update(key).digest('base64url');
    return {
      consume: (key) => throttle.consume(named(key)),
      refund: (key) => throttle.refund(named(key)),
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
