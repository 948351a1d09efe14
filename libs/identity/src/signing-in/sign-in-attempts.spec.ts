import type { HistoryEvent } from '../shared/decider';
import { IdentityEvent } from '@app/identity-events';
import { given } from '../testing/given';
import { AttemptSignIn, lockDurationSeconds, signInAttemptsDecider } from './sign-in-attempts.decider';

const policy = { threshold: 3, windowSeconds: 900, baseLockSeconds: 60, maxLockSeconds: 3600 };
const now = new Date('2026-05-01T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
const attempt = (overrides: Partial<AttemptSignIn> = {}): AttemptSignIn => ({
  userId: 'u1',
  passwordValid: false,
  sessionId: 's1',
  now,
  policy,
  ...overrides,
});
const wrong = (at: string): HistoryEvent => ({
  type: IdentityEvent.LoginFailed,
  data: { userId: 'u1', reason: 'wrong_password' },
  occurredAt: at,
});

describe('sign-in attempts (lockout)', () => {
  it('records a wrong password', () => {
    given(signInAttemptsDecider, [])
      .when(attempt())
      .then([{ type: IdentityEvent.LoginFailed, data: { userId: 'u1', reason: 'wrong_password' } }]);
  });

  it('records an attempt on an address without an account, and never locks it', () => {
    given(signInAttemptsDecider, [wrong(minutesAgo(1)), wrong(minutesAgo(1)), wrong(minutesAgo(1))])
      .when(attempt({ userId: null }))
      .then([{ type: IdentityEvent.LoginFailed, data: { userId: null, reason: 'unknown_account' } }]);
  });

  it('locks at the threshold within the window, for the base time', () => {
    given(signInAttemptsDecider, [wrong(minutesAgo(3)), wrong(minutesAgo(2))])
      .when(attempt())
      .then([
        { type: IdentityEvent.LoginFailed, data: { userId: 'u1', reason: 'wrong_password' } },
        {
          type: IdentityEvent.AccountLocked,
          data: { userId: 'u1', until: '2026-05-01T12:01:00.000Z', failures: 3, lockNumber: 1 },
        },
      ]);
  });

  it('does not count failures older than the window, nor those before a success', () => {
    given(signInAttemptsDecider, [wrong(minutesAgo(30)), wrong(minutesAgo(20)), wrong(minutesAgo(5))])
      .when(attempt())
      .then([{ type: IdentityEvent.LoginFailed, data: { userId: 'u1', reason: 'wrong_password' } }]);
    given(signInAttemptsDecider, [
      wrong(minutesAgo(3)),
      wrong(minutesAgo(2)),
      { type: IdentityEvent.LoginSucceeded, data: { userId: 'u1', sessionId: 's0' }, occurredAt: minutesAgo(1) },
    ])
      .when(attempt())
      .then([{ type: IdentityEvent.LoginFailed, data: { userId: 'u1', reason: 'wrong_password' } }]);
  });

  it('refuses even the right password while locked, without extending the lock', () => {
    const locked: HistoryEvent = {
      type: IdentityEvent.AccountLocked,
      data: { userId: 'u1', until: '2026-05-01T12:00:30.000Z', failures: 3, lockNumber: 1 },
      occurredAt: minutesAgo(0.5),
    };
    given(signInAttemptsDecider, [locked])
      .when(attempt({ passwordValid: true }))
      .then([{ type: IdentityEvent.LoginFailed, data: { userId: 'u1', reason: 'account_locked' } }]);
  });

  it('lets the right password in after the lock ends', () => {
    const expired: HistoryEvent = {
      type: IdentityEvent.AccountLocked,
      data: { userId: 'u1', until: minutesAgo(1), failures: 3, lockNumber: 1 },
      occurredAt: minutesAgo(2),
    };
    given(signInAttemptsDecider, [expired])
      .when(attempt({ passwordValid: true }))
      .then([{ type: IdentityEvent.LoginSucceeded, data: { userId: 'u1', sessionId: 's1' } }]);
  });

  it('makes each further lock within a day four times longer, up to the maximum', () => {
    const earlierLock: HistoryEvent = {
      type: IdentityEvent.AccountLocked,
      data: { userId: 'u1', until: minutesAgo(50), failures: 3, lockNumber: 1 },
      occurredAt: minutesAgo(51),
    };
    given(signInAttemptsDecider, [earlierLock, wrong(minutesAgo(2)), wrong(minutesAgo(1))])
      .when(attempt())
      .then([
        { type: IdentityEvent.LoginFailed, data: { userId: 'u1', reason: 'wrong_password' } },
        {
          type: IdentityEvent.AccountLocked,
          data: { userId: 'u1', until: '2026-05-01T12:04:00.000Z', failures: 3, lockNumber: 2 },
        },
      ]);
    expect([1, 2, 3, 4, 5].map((n) => lockDurationSeconds(n, policy))).toEqual([60, 240, 960, 3600, 3600]);
  });

  it('keeps an attacker under 100 failures an hour per account (ASVS 2.2.1) with the default policy', () => {
    const defaults = { threshold: 5, windowSeconds: 900, baseLockSeconds: 60, maxLockSeconds: 3600 };
    let elapsed = 0;
    let failures = 0;
    for (let lock = 1; elapsed < 3600; lock++) {
      failures += defaults.threshold;
      elapsed += lockDurationSeconds(lock, defaults);
    }
    expect(failures).toBeLessThanOrEqual(100);
  });
});
