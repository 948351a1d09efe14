import { Inject, Injectable } from '@nestjs/common';
import { createHmac, hkdfSync } from 'node:crypto';
import { streams } from '@app/identity-events';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { normalizeEmail } from '../registering-user/email-claim.decider';

/**
 * The keyed blind index of email addresses: streams named by an address (its uniqueness guard, its
 * sign-in attempts) carry HMAC-SHA256 of the normalised address under a key derived from
 * TOKEN_KEY, never the address nor a plain hash of it. A plain SHA-256 confirms a guessed address
 * to anyone who can read the log, even after the person was erased; this needs the service's key.
 */
@Injectable()
export class EmailIndex {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.keys.tokenKey, Buffer.alloc(0), 'email-index', 32));
  }

  /** The index of a normalised address (64 hex digits, like the SHA-256 it replaces). */
  digestOf(normalizedEmail: string): string {
    return createHmac('sha256', this.key).update(normalizedEmail).digest('hex');
  }

  /** The uniqueness guard of an address as typed. */
  guardOf(email: string): string {
    return streams.emailGuard(this.digestOf(normalizeEmail(email)));
  }

  /** The sign-in attempts (and failure budget) of an address as typed. */
  attemptsOf(email: string): string {
    return streams.signInAttempts(this.digestOf(normalizeEmail(email)));
  }
}
