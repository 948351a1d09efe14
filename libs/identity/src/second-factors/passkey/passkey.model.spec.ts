import { DomainError } from '@app/platform';
import { IdentityEvent, identityEvent } from '@app/identity-events';
import type { HistoryEvent } from '../../shared/decider';
import { deciding, given } from '../../testing/given';
import { passkeyChallengeModel } from './passkey-challenge.model';
import { decidePasskeyAssertion, passkeyModel } from './passkey.model';

const at = (minute: number) => `2026-06-01T08:${String(minute).padStart(2, '0')}:00.000Z`;
const registered: HistoryEvent = {
  ...identityEvent(IdentityEvent.UserRegistered, {
    userId: 'u1',
    email: 'a@x.io',
    emailNormalized: 'a@x.io',
    passwordHash: 'h',
    roles: [],
  }),
  occurredAt: at(0),
};
const passkey = {
  credentialId: 'c1',
  publicKey: 'pk',
  counter: 5,
  transports: ['internal'],
  deviceType: 'singleDevice' as const,
  backedUp: false,
  name: 'Key',
};
const added: HistoryEvent = {
  ...identityEvent(IdentityEvent.PasskeyRegistered, { userId: 'u1', ...passkey }),
  occurredAt: at(1),
};
const asserting = deciding(passkeyModel, decidePasskeyAssertion);
const assertion = (counter: number, credentialId: string | null = 'c1') => ({
  credentialId,
  verified: { counter, backedUp: false, userVerified: true },
  purpose: 'sign_in' as const,
  whenAccepted: () => [],
  whenRefused: () => [],
});

describe('passkeys', () => {
  it('accepts a signature whose counter moved forward, and records the new counter', () => {
    given(asserting, [registered, added])
      .when(assertion(6))
      .then([
        {
          type: IdentityEvent.PasskeyAssertionAccepted,
          data: {
            userId: 'u1',
            credentialId: 'c1',
            counter: 6,
            backedUp: false,
            userVerified: true,
            purpose: 'sign_in',
          },
        },
      ]);
  });

  it('refuses a counter that did not move (a cloned key), an unknown passkey and an unverified signature', () => {
    given(asserting, [registered, added])
      .when(assertion(5))
      .then([
        {
          type: IdentityEvent.PasskeyAssertionRejected,
          data: { userId: 'u1', credentialId: 'c1', reason: 'counter', purpose: 'sign_in' },
        },
      ]);
    given(asserting, [registered, added])
      .when(assertion(9, 'c2'))
      .then([
        {
          type: IdentityEvent.PasskeyAssertionRejected,
          data: { userId: 'u1', credentialId: 'c2', reason: 'unknown_credential', purpose: 'sign_in' },
        },
      ]);
    given(asserting, [registered, added])
      .when({ ...assertion(9), verified: null })
      .then([
        {
          type: IdentityEvent.PasskeyAssertionRejected,
          data: { userId: 'u1', credentialId: 'c1', reason: 'invalid', purpose: 'sign_in' },
        },
      ]);
  });

  it('takes counters of 0 from authenticators that keep none (synced passkeys)', () => {
    const synced: HistoryEvent = {
      ...identityEvent(IdentityEvent.PasskeyRegistered, { userId: 'u1', ...passkey, counter: 0 }),
      occurredAt: at(1),
    };
    given(asserting, [registered, synced])
      .when(assertion(0))
      .then([
        {
          type: IdentityEvent.PasskeyAssertionAccepted,
          data: {
            userId: 'u1',
            credentialId: 'c1',
            counter: 0,
            backedUp: false,
            userVerified: true,
            purpose: 'sign_in',
          },
        },
      ]);
  });

  it('forgets every passkey on an MFA reset, and refuses a second copy of one', () => {
    const reset: HistoryEvent = {
      ...identityEvent(IdentityEvent.MfaResetByAdmin, { userId: 'u1', reason: 'lost' }),
      occurredAt: at(2),
    };
    given(asserting, [registered, added, reset])
      .when(assertion(6))
      .then([
        {
          type: IdentityEvent.PasskeyAssertionRejected,
          data: { userId: 'u1', credentialId: 'c1', reason: 'unknown_credential', purpose: 'sign_in' },
        },
      ]);
    given(passkeyModel, [registered, added]).when({ kind: 'register', passkey }).thenThrows(DomainError, 'conflict');
    given(passkeyModel, [registered]).when({ kind: 'remove', credentialId: 'c1' }).thenThrows(DomainError, 'not_found');
  });

  it('uses a challenge once, within 5 minutes, for its purpose and account', () => {
    const issued: HistoryEvent = {
      ...identityEvent(IdentityEvent.PasskeyChallengeIssued, {
        challengeHash: 'h',
        purpose: 'sign_in',
        userId: 'u1',
        expiresAt: at(5),
      }),
      occurredAt: at(0),
    };
    const use = (purpose: 'sign_in' | 'step_up', userId: string, minute: number) => ({
      kind: 'use' as const,
      purpose,
      userId,
      now: new Date(at(minute)),
    });
    given(passkeyChallengeModel, [issued])
      .when(use('sign_in', 'u1', 1))
      .then([{ type: IdentityEvent.PasskeyChallengeUsed, data: { challengeHash: 'h', userId: 'u1' } }]);
    const used: HistoryEvent = {
      ...identityEvent(IdentityEvent.PasskeyChallengeUsed, { challengeHash: 'h', userId: 'u1' }),
      occurredAt: at(1),
    };
    given(passkeyChallengeModel, [issued, used])
      .when(use('sign_in', 'u1', 2))
      .then([]);
    given(passkeyChallengeModel, [issued])
      .when(use('step_up', 'u1', 1))
      .then([]);
    given(passkeyChallengeModel, [issued])
      .when(use('sign_in', 'u2', 1))
      .then([]);
    given(passkeyChallengeModel, [issued])
      .when(use('sign_in', 'u1', 5))
      .then([]);
    given(passkeyChallengeModel, [])
      .when(use('sign_in', 'u1', 1))
      .then([]);
  });
});
