/**
 * A failure the client can act on. `code` is stable API (snake_case) and is mapped to an HTTP
 * status in one place, the problem-details filter; the message is safe to show to the caller.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Extra members of the problem document (e.g. the reasons of a password policy refusal). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class ValidationFailedError extends DomainError {
  constructor(errors: { field: string; message: string }[]) {
    super('validation_failed', 'The request is not valid.', { errors });
  }
}

/** The server is at capacity (e.g. too many password hashes queued); the client may retry. */
export class ServiceOverloadedError extends DomainError {
  constructor(readonly retryAfterSeconds = 1) {
    super('overloaded', 'The service is busy; retry shortly.');
  }
}
