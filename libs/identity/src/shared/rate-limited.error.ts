import { DomainError } from '@app/platform';

/** A per-address throttle refused the request (429 with Retry-After). */
export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', 'Too many attempts from this address; wait before trying again.');
  }
}
