import type { HistoryEvent } from '../shared/decider';
import { DomainError } from '@app/platform';
import { IdentityEvent } from '@app/identity-events';
import { given } from '../testing/given';
import { EmailTakenError, emailClaimDecider, emailDigest, normalizeEmail } from './email-claim.decider';
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
    expect(emailDigest(normalizeEmail('A@B.io'))).toBe(emailDigest(normalizeEmail('a@b.IO')));
    expect(emailDigest('a@b.io')).toMatch(/^[0-9a-f]{64}$/);
  });
});
