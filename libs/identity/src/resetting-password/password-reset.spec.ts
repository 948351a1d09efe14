import { IdentityEvent } from '@app/identity-events';
import { given } from '../testing/given';
import { ResetTokenInvalidError, passwordResetDecider } from './password-reset.decider';

const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 8, minute));
const registered = {
  type: IdentityEvent.UserRegistered,
  data: { userId: 'u1', email: 'a@x.io', emailNormalized: 'a@x.io', passwordHash: 'h', roles: [] },
  occurredAt: at(0).toISOString(),
};
const requested = (tokenHash: string, minute: number) => ({
  type: IdentityEvent.PasswordResetRequested,
  data: { userId: 'u1', tokenHash, expiresAt: at(minute + 30).toISOString() },
  occurredAt: at(minute).toISOString(),
});
/** The event as decided (the time is the append's, not part of the decision). */
const decided = (tokenHash: string, minute: number) => {
  const { occurredAt: _at, ...event } = requested(tokenHash, minute);
  return event;
};
const complete = (tokenHash: string, minute: number) => ({
  kind: 'complete' as const,
  tokenHash,
  newPasswordHash: 'new',
  secondFactor: null,
  now: at(minute),
});

describe('password reset rules', () => {
  it('issues a link that lives 30 minutes', () => {
    given(passwordResetDecider, [registered])
      .when({ kind: 'request', tokenHash: 't1', now: at(1) })
      .then([decided('t1', 1)]);
  });

  it('mails at most one link a minute: a request within the minute decides nothing', () => {
    given(passwordResetDecider, [registered, requested('t1', 1)])
      .when({ kind: 'request', tokenHash: 't2', now: new Date(at(1).getTime() + 59_000) })
      .then([]);
    given(passwordResetDecider, [registered, requested('t1', 1)])
      .when({ kind: 'request', tokenHash: 't2', now: at(2) })
      .then([decided('t2', 2)]);
  });

  it('completes with the live link: the reset and the new password in one decision', () => {
    given(passwordResetDecider, [registered, requested('t1', 1)])
      .when(complete('t1', 10))
      .then([
        { type: IdentityEvent.PasswordResetCompleted, data: { userId: 'u1', secondFactor: null } },
        {
          type: IdentityEvent.PasswordChanged,
          data: { userId: 'u1', passwordHash: 'new', sessionId: null, via: 'reset' },
        },
      ]);
  });

  it('refuses a used link, an expired one, an older one after a newer one, and one after any password change', () => {
    const completed = { type: IdentityEvent.PasswordResetCompleted, data: { userId: 'u1', secondFactor: null } };
    const changed = { type: IdentityEvent.PasswordChanged, data: { userId: 'u1', passwordHash: 'x', sessionId: 's1' } };
    given(passwordResetDecider, [registered, requested('t1', 1), completed])
      .when(complete('t1', 2))
      .thenThrows(ResetTokenInvalidError, 'token_invalid');
    given(passwordResetDecider, [registered, requested('t1', 1)])
      .when(complete('t1', 31))
      .thenThrows(ResetTokenInvalidError, 'token_invalid');
    given(passwordResetDecider, [registered, requested('t1', 1), requested('t2', 3)])
      .when(complete('t1', 4))
      .thenThrows(ResetTokenInvalidError, 'token_invalid');
    given(passwordResetDecider, [registered, requested('t1', 1), changed])
      .when(complete('t1', 4))
      .thenThrows(ResetTokenInvalidError, 'token_invalid');
  });
});
