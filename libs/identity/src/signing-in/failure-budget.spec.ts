import type { HistoryEvent } from '../shared/decider';
import { IdentityEvent, type ProofFactor, type ProofPurpose } from '@app/identity-events';
import { fold } from '../shared/decider';
import { given } from '../testing/given';
import { AttemptSignIn, lockRemainingSeconds, RecordProof, signInAttemptsDecider } from './sign-in-attempts.decider';

/** The account's one failure budget: every proof of identity spends from the same count. */
const policy = { threshold: 3, windowSeconds: 900, baseLockSeconds: 60, maxLockSeconds: 3600 };
const now = new Date('2026-05-01T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
const proof = (overrides: Partial<RecordProof> = {}): RecordProof => ({
  kind: 'proof',
  userId: 'u1',
  factor: 'totp',
  purpose: 'view_recovery_codes',
  succeeded: false,
  now,
  policy,
  ...overrides,
});
const signIn = (overrides: Partial<AttemptSignIn> = {}): AttemptSignIn => ({
  userId: 'u1',
  passwordValid: false,
  sessionId: 's1',
  now,
  policy,
  ...overrides,
});
const failedProof = (at: string, factor: ProofFactor = 'totp', purpose: ProofPurpose = 'sign_in') => ({
  type: IdentityEvent.AuthenticationFailed,
  data: { userId: 'u1', factor, purpose },
  occurredAt: at,
});
const wrongPassword = (at: string): HistoryEvent => ({
  type: IdentityEvent.LoginFailed,
  data: { userId: 'u1', reason: 'wrong_password' },
  occurredAt: at,
});
const lockedUntil = (until: string): HistoryEvent => ({
  type: IdentityEvent.AccountLocked,
  data: { userId: 'u1', until, failures: 3, lockNumber: 1 },
  occurredAt: minutesAgo(1),
});

describe('failure budget (every proof of identity)', () => {
  it('records a wrong code as a failure of the account', () => {
    given(signInAttemptsDecider, [])
      .when(proof())
      .then([
        {
          type: IdentityEvent.AuthenticationFailed,
          data: { userId: 'u1', factor: 'totp', purpose: 'view_recovery_codes' },
        },
      ]);
  });

  it('locks when the budget is exhausted exactly, counting passwords and codes together', () => {
    given(signInAttemptsDecider, [wrongPassword(minutesAgo(3)), failedProof(minutesAgo(2), 'email_code')])
      .when(proof({ factor: 'password', purpose: 'change_password' }))
      .then([
        {
          type: IdentityEvent.AuthenticationFailed,
          data: { userId: 'u1', factor: 'password', purpose: 'change_password' },
        },
        {
          type: IdentityEvent.AccountLocked,
          data: { userId: 'u1', until: '2026-05-01T12:01:00.000Z', failures: 3, lockNumber: 1 },
        },
      ]);
  });

  it('does not lock one failure before the threshold', () => {
    given(signInAttemptsDecider, [failedProof(minutesAgo(2))])
      .when(proof())
      .then([
        {
          type: IdentityEvent.AuthenticationFailed,
          data: { userId: 'u1', factor: 'totp', purpose: 'view_recovery_codes' },
        },
      ]);
  });

  it('refuses the password at sign-in while codes have locked the account', () => {
    given(signInAttemptsDecider, [
      failedProof(minutesAgo(2)),
      failedProof(minutesAgo(2)),
      lockedUntil('2026-05-01T12:00:30.000Z'),
    ])
      .when(signIn({ passwordValid: true }))
      .then([{ type: IdentityEvent.LoginFailed, data: { userId: 'u1', reason: 'account_locked' } }]);
  });

  it('tells how long a lock lasts, and nothing once it has expired', () => {
    const state = (until: string) => fold(signInAttemptsDecider, [lockedUntil(until)]);
    expect(lockRemainingSeconds(state('2026-05-01T12:00:30.000Z'), now)).toBe(30);
    expect(lockRemainingSeconds(state('2026-05-01T12:00:00.500Z'), now)).toBe(1);
    expect(lockRemainingSeconds(state(now.toISOString()), now)).toBe(0);
    expect(lockRemainingSeconds(state(minutesAgo(1)), now)).toBe(0);
  });

  it('starts over after a lock expires: the failures before it do not count again', () => {
    given(signInAttemptsDecider, [
      failedProof(minutesAgo(5)),
      failedProof(minutesAgo(5)),
      lockedUntil(minutesAgo(2)),
      failedProof(minutesAgo(1)),
    ])
      .when(proof())
      .then([
        {
          type: IdentityEvent.AuthenticationFailed,
          data: { userId: 'u1', factor: 'totp', purpose: 'view_recovery_codes' },
        },
      ]);
  });

  it('starts the count over on a success, recorded only when there were failures', () => {
    given(signInAttemptsDecider, [failedProof(minutesAgo(2))])
      .when(proof({ succeeded: true }))
      .then([
        {
          type: IdentityEvent.AuthenticationSucceeded,
          data: { userId: 'u1', factor: 'totp', purpose: 'view_recovery_codes' },
        },
      ]);
    given(signInAttemptsDecider, [])
      .when(proof({ succeeded: true }))
      .then([]);
    given(signInAttemptsDecider, [
      failedProof(minutesAgo(3)),
      failedProof(minutesAgo(2)),
      {
        type: IdentityEvent.AuthenticationSucceeded,
        data: { userId: 'u1', factor: 'totp', purpose: 'sign_in' },
        occurredAt: minutesAgo(1),
      },
    ])
      .when(proof())
      .then([
        {
          type: IdentityEvent.AuthenticationFailed,
          data: { userId: 'u1', factor: 'totp', purpose: 'view_recovery_codes' },
        },
      ]);
  });

  it('does not start over on a right password that still needs a second factor', () => {
    // Otherwise knowing the password would buy unlimited code guesses: sign in again, guess again.
    given(signInAttemptsDecider, [
      failedProof(minutesAgo(3)),
      failedProof(minutesAgo(2)),
      {
        type: IdentityEvent.LoginSucceeded,
        data: { userId: 'u1', sessionId: 's0', secondFactorRequired: true },
        occurredAt: minutesAgo(1),
      },
    ])
      .when(proof())
      .then([
        {
          type: IdentityEvent.AuthenticationFailed,
          data: { userId: 'u1', factor: 'totp', purpose: 'view_recovery_codes' },
        },
        {
          type: IdentityEvent.AccountLocked,
          data: { userId: 'u1', until: '2026-05-01T12:01:00.000Z', failures: 3, lockNumber: 1 },
        },
      ]);
  });

  it('locks once when two processes fail at once: the later append re-decides on the stream it lost to', () => {
    const history = [failedProof(minutesAgo(2))];
    const first = signInAttemptsDecider.decide(proof(), fold(signInAttemptsDecider, history));
    const second = signInAttemptsDecider.decide(proof(), fold(signInAttemptsDecider, history));
    expect(first).toEqual(second); // both saw the same revision: one append wins, the other conflicts...
    const afterFirst = [...history, ...first.map((e) => ({ ...e, occurredAt: now.toISOString() }))];
    // ...and is decided again on the stream with the winner's failure: this one locks.
    given(signInAttemptsDecider, afterFirst)
      .when(proof())
      .then([
        {
          type: IdentityEvent.AuthenticationFailed,
          data: { userId: 'u1', factor: 'totp', purpose: 'view_recovery_codes' },
        },
        {
          type: IdentityEvent.AccountLocked,
          data: { userId: 'u1', until: '2026-05-01T12:01:00.000Z', failures: 3, lockNumber: 1 },
        },
      ]);
    const locked = fold(signInAttemptsDecider, [
      ...afterFirst,
      {
        type: IdentityEvent.AuthenticationFailed,
        data: { userId: 'u1', factor: 'totp', purpose: 'view_recovery_codes' },
        occurredAt: now.toISOString(),
      },
      {
        type: IdentityEvent.AccountLocked,
        data: { userId: 'u1', until: '2026-05-01T12:01:00.000Z', failures: 3, lockNumber: 1 },
        occurredAt: now.toISOString(),
      },
    ]);
    expect(lockRemainingSeconds(locked, now)).toBe(60);
  });
});
