/** Hashes and verifies passwords; the only place plaintext passwords go. */
export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;
  abstract verify(hash: string, password: string): Promise<boolean>;
  /** True when the hash was made with weaker parameters than the current ones. */
  abstract needsRehash(hash: string): boolean;
}

/**
 * Whether password hashing can take one more request now: asked before any work is done for a
 * request that will hash (body parsing, validation, store lookups), so that overload is refused
 * cheaply. Implemented by the hashing ConcurrencyLimiter.
 */
export abstract class HashingCapacity {
  /** True when one more hash arriving now would run or be queued, not refused. */
  abstract wouldAdmit(): boolean;
  /** Reserves a place for a hash to come, or null when it would be refused; release when the request ends. */
  abstract tryReserve(): (() => void) | null;
  /** Seconds until the present backlog should have drained (Retry-After of a refusal). */
  abstract retryAfterSeconds(): number;
  /** Hashes waiting for a slot now (for the metrics). */
  abstract get queued(): number;
  /** Hashes and reservations refused since start, a running total (for the metrics). */
  abstract get refusals(): number;
}
