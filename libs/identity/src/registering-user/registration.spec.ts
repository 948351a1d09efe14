import { createHash } from 'node:crypto';
import type { HistoryEvent } from '../shared/decider';
import { DomainError } from '@app/platform';
import { IdentityEvent } from '@app/identity-events';
import { given } from '../testing/given';
import { loadConfig } from '@app/platform';
import { EmailTakenError, emailClaimDecider, normalizeEmail } from './email-claim.decider';
import { EmailIndex } from '../shared/email-index';
import { registrationDecider } from './registration.decider';

const registered: HistoryEvent = {
  type: IdentityEvent.UserRegistered,
  data: {
    userId: 'u1',
    email: 'A@x.io',
    emailNormalized: 'a@x.io',
    passwordHash: '$argon2id$...',
    roles: [],
    emailVerifiedBy: 'code',
  },
};

describe('registration', () => {
  const register = {
    userId: 'u1',
    email: 'A@x.io',
    emailNormalized: 'a@x.io',
    passwordHash: '$argon2id$...',
    roles: [],
    emailVerifiedBy: 'code' as const,
  };

  it('registers a new user', () => {
    given(registrationDecider, []).when(register).then([registered]);
  });

  it('refuses to register the same user twice', () => {
    given(registrationDecider, [registered]).when(register).thenThrows(DomainError, 'conflict');
  });
});

describe('email claim', () => {
  const now = new Date('2026-06-01T08:10:00.000Z');
  const claimedAt = (time: string): HistoryEvent => ({
    type: IdentityEvent.EmailClaimed,
    data: { userId: 'u1' },
    occurredAt: `2026-06-01T${time}.000Z`,
  });

  it('claims a free address', () => {
    given(emailClaimDecider, [])
      .when({ userId: 'u1', now, claimantRegistered: false })
      .then([{ type: IdentityEvent.EmailClaimed, data: { userId: 'u1' } }]);
  });

  it('refuses a claimed address', () => {
    given(emailClaimDecider, [claimedAt('08:05:00')])
      .when({ userId: 'u2', now, claimantRegistered: true })
      .thenThrows(EmailTakenError, 'email_taken');
    // A claim without its account is refused too while it may still be a sign-up in progress (under a minute).
    given(emailClaimDecider, [claimedAt('08:09:01')])
      .when({ userId: 'u2', now, claimantRegistered: false })
      .thenThrows(EmailTakenError, 'email_taken');
  });

  it('takes over a claim whose sign-up never registered its user', () => {
    given(emailClaimDecider, [claimedAt('08:09:00')])
      .when({ userId: 'u2', now, claimantRegistered: false })
      .then([{ type: IdentityEvent.EmailClaimed, data: { userId: 'u2' } }]);
  });

  it('normalises case, surrounding space and Unicode form before hashing', () => {
    expect(normalizeEmail('  Jürgen@Example.COM ')).toBe('jürgen@example.com');
    expect(normalizeEmail('Ju\u0308rgen@example.com')).toBe(normalizeEmail('Jürgen@example.com'));
  });

  it('names an address in the log by a keyed index: not the address, not its plain SHA-256', () => {
    const keys = (tokenKey: number) => ({
      NODE_ENV: 'production',
      SECRET_BOX_KEY: Buffer.alloc(32, 1).toString('base64'),
      TOKEN_KEY: Buffer.alloc(32, tokenKey).toString('base64'),
      AUDIT_SIGNING_KEY: Buffer.alloc(32, 3).toString('base64'),
      DATA_DIR: '/nonexistent',
    });
    const index = new EmailIndex(loadConfig(keys(2)));
    expect(index.digestOf(normalizeEmail('A@B.io'))).toBe(index.digestOf(normalizeEmail('a@b.IO')));
    expect(index.digestOf('a@b.io')).toMatch(/^[0-9a-f]{64}$/);
    expect(index.digestOf('a@b.io')).not.toBe(createHash('sha256').update('a@b.io').digest('hex'));
    // Another service key gives another index: a guessed address cannot be checked without it.
    expect(new EmailIndex(loadConfig(keys(4))).digestOf('a@b.io')).not.toBe(index.digestOf('a@b.io'));
  });
});
