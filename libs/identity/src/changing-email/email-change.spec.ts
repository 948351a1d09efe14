import { DomainError } from '@app/platform';
import { IdentityEvent } from '@app/identity-events';
import { ResendTooSoonError } from '../shared/code-errors';
import { CodeInvalidError } from '../shared/code-errors';
import { emailClaimDecider } from '../registering-user/email-claim.decider';
import { given } from '../testing/given';
import { emailChangeDecider } from './email-change.decider';

const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 5, 1, 8, minute, second));
const registered = {
  type: IdentityEvent.UserRegistered,
  data: { userId: 'u1', email: 'Ada@old.io', emailNormalized: 'ada@old.io', passwordHash: 'h', roles: [] },
};
const request = (minute: number, codeId = 'c1') => ({
  kind: 'request' as const,
  newEmail: 'ada@new.io',
  newEmailNormalized: 'ada@new.io',
  codeId,
  codeHash: `hash-${codeId}`,
  now: at(minute),
});
const requestedData = (minute: number, codeId = 'c1') => ({
  userId: 'u1',
  newEmail: 'ada@new.io',
  newEmailNormalized: 'ada@new.io',
  codeId,
  codeHash: `hash-${codeId}`,
  expiresAt: at(minute + 10).toISOString(),
});
const requested = (minute: number, codeId = 'c1') => ({
  type: IdentityEvent.EmailChangeRequested,
  data: requestedData(minute, codeId),
  occurredAt: at(minute).toISOString(),
});
const confirm = (right: boolean, minute = 1) => ({ kind: 'confirm' as const, matches: () => right, now: at(minute) });
const failed = { type: IdentityEvent.EmailChangeCodeFailed, data: { userId: 'u1', codeId: 'c1' } };

describe('changing the email address', () => {
  it('sends a code to the new address, at most once a minute, never for the current address', () => {
    given(emailChangeDecider, [registered])
      .when(request(0))
      .then([{ type: IdentityEvent.EmailChangeRequested, data: requestedData(0) }]);
    given(emailChangeDecider, [registered, requested(0)])
      .when({ ...request(0), now: at(0, 59) })
      .thenThrows(ResendTooSoonError, 'rate_limited');
    given(emailChangeDecider, [registered])
      .when({ ...request(0), newEmail: ' ADA@old.io', newEmailNormalized: 'ada@old.io' })
      .thenThrows(DomainError, 'conflict');
  });

  it('changes the address with the right code, from the old one to the new one', () => {
    given(emailChangeDecider, [registered, requested(0)])
      .when(confirm(true))
      .then([
        {
          type: IdentityEvent.EmailChanged,
          data: { userId: 'u1', oldEmail: 'Ada@old.io', newEmail: 'ada@new.io', newEmailNormalized: 'ada@new.io' },
        },
      ]);
  });

  it('records a wrong code; five kill it; it expires after 10 minutes; it works once', () => {
    given(emailChangeDecider, [registered, requested(0)])
      .when(confirm(false))
      .then([failed]);
    given(emailChangeDecider, [registered, requested(0), failed, failed, failed, failed, failed])
      .when(confirm(true))
      .thenThrows(CodeInvalidError, 'code_invalid');
    given(emailChangeDecider, [registered, requested(0)])
      .when(confirm(true, 10))
      .thenThrows(CodeInvalidError, 'code_invalid');
    const changed = {
      type: IdentityEvent.EmailChanged,
      data: { userId: 'u1', oldEmail: 'Ada@old.io', newEmail: 'ada@new.io', newEmailNormalized: 'ada@new.io' },
    };
    given(emailChangeDecider, [registered, requested(0), changed])
      .when(confirm(true, 2))
      .thenThrows(CodeInvalidError, 'code_invalid');
  });
});

describe('email claim: release and retry', () => {
  const claimed = { type: IdentityEvent.EmailClaimed, data: { userId: 'u1' } };
  it('releases an address only for its holder, once', () => {
    given(emailClaimDecider, [claimed])
      .when({ release: true, userId: 'u1' })
      .then([{ type: IdentityEvent.EmailReleased, data: { userId: 'u1' } }]);
    given(emailClaimDecider, [claimed]).when({ release: true, userId: 'u2' }).then([]);
    given(emailClaimDecider, [claimed, { type: IdentityEvent.EmailReleased, data: { userId: 'u1' } }])
      .when({ release: true, userId: 'u1' })
      .then([]);
  });

  it('lets another account claim a released address, and the holder claim again as a no-op', () => {
    const released = { type: IdentityEvent.EmailReleased, data: { userId: 'u1' } };
    given(emailClaimDecider, [claimed, released])
      .when({ userId: 'u2', now: new Date(), claimantRegistered: true })
      .then([{ type: IdentityEvent.EmailClaimed, data: { userId: 'u2' } }]);
    given(emailClaimDecider, [claimed]).when({ userId: 'u1', now: new Date(), claimantRegistered: true }).then([]);
  });
});
