import { DomainError } from '@app/platform';

/** One answer for every wrong, expired or used code: which one it was is not told. */
export class CodeInvalidError extends DomainError {
  constructor() {
    super('code_invalid', 'The code is not valid: it may be wrong, expired or already used.');
  }
}

export class ResendTooSoonError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', `A code was sent moments ago; you can ask for a new one in ${retryAfterSeconds} s.`);
  }
}
