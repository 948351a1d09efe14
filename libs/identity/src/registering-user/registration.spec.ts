import type { HistoryEvent } from '../shared/decider';
import { DomainError } from '@app/platform';
import { IdentityEvent } from '@app/identity-events';
import { given } from '../testing/given';
import { EmailTakenError, emailClaimDecider, emailDigest, normalizeEmail } from './email-claim.decider';
import { registrationDecider } from './registration.decider';

const registered: HistoryEvent = {
  type: IdentityEvent.UserRegistered,
  data: { userId: 'u1', email: 'A@x.io', emailNormalized: 'a@x.io', passwordHash: '$argon2id$...', roles: [], emailVerifiedBy: 'code' },
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
  it('claims a free address', () => {
    given(emailClaimDecider, [])
      .when({ userId: 'u1', currentClaimAbandoned: false })
      .then([{ type: IdentityEvent.EmailClaimed, data: { userId: 'u1' } }]);
  });

  it('refuses a claimed address', () => {
    given(emailClaimDecider, [{ type: IdentityEvent.EmailClaimed, data: { userId: 'u1' } }])
      .when({ userId: 'u2', currentClaimAbandoned: false })
      .thenThrows(EmailTakenError, 'email_taken');
  });

  it('takes over a claim whose sign-up never registered its user', () => {
    given(emailClaimDecider, [{ type: IdentityEvent.EmailClaimed, data: { userId: 'u1' } }])
      .when({ userId: 'u2', currentClaimAbandoned: true })
      .then([{ type: IdentityEvent.EmailClaimed, data: { userId: 'u2' } }]);
  });

  it('normalises case, surrounding space and Unicode form before hashing', () => {
    expect(normalizeEmail('  Jürgen@Example.COM ')).toBe('jürgen@example.com');
    expect(normalizeEmail('Ju\u0308rgen@example.com')).toBe(normalizeEmail('Jürgen@example.com'));
    expect(emailDigest(normalizeEmail('A@B.io'))).toBe(emailDigest(normalizeEmail('a@b.IO')));
    expect(emailDigest('a@b.io')).toMatch(/^[0-9a-f]{64}$/);
  });
});
