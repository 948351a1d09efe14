import { DomainError } from '@app/platform';
import { IdentityEvent } from '@app/identity-events';
import { given } from '../testing/given';
import { ResendTooSoonError } from '../shared/code-errors';
import { pendingRegistrationDecider, RegistrationExpiredError } from './pending-registration.decider';

const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 5, 1, 8, minute, second));
const registration = {
  registrationId: 'r1',
  email: 'a@x.io',
  emailNormalized: 'a@x.io',
  passwordHash: '$argon2id$h',
  existingUserId: null,
  expiresAt: at(10).toISOString(),
};
const requested = { type: IdentityEvent.RegistrationRequested, data: registration, occurredAt: at(0).toISOString() };
const sent = (codeId: string, minute = 0, codeHash: string | null = `hash-${codeId}`) => ({
  type: IdentityEvent.RegistrationCodeSent,
  data: { registrationId: 'r1', codeId, codeHash, expiresAt: at(10).toISOString() },
  occurredAt: at(minute).toISOString(),
});
const failed = (codeId: string) => ({
  type: IdentityEvent.RegistrationCodeFailed,
  data: { registrationId: 'r1', codeId },
});
const answer = (right: boolean, minute = 1) => ({
  kind: 'answer' as const,
  matches: () => right,
  userId: 'r1',
  now: at(minute),
});
const { occurredAt: _r, ...requestedEvent } = requested;
const { occurredAt: _s, ...sentEvent } = sent('c1');

describe('pending registration (sign-up that proves the address)', () => {
  it('records the sign-up and its first code together', () => {
    given(pendingRegistrationDecider, [])
      .when({ kind: 'request', registration, code: { codeId: 'c1', codeHash: 'hash-c1' } })
      .then([requestedEvent, sentEvent]);
  });

  it('confirms with the right code, once', () => {
    const confirmed = { type: IdentityEvent.RegistrationConfirmed, data: { registrationId: 'r1', userId: 'r1' } };
    given(pendingRegistrationDecider, [requested, sent('c1')])
      .when(answer(true))
      .then([confirmed]);
    given(pendingRegistrationDecider, [requested, sent('c1'), confirmed])
      .when(answer(true))
      .thenThrows(RegistrationExpiredError, 'registration_expired');
  });

  it('records a wrong code, and kills a code after five wrong answers', () => {
    given(pendingRegistrationDecider, [requested, sent('c1')])
      .when(answer(false))
      .then([failed('c1')]);
    const fiveWrong = [requested, sent('c1'), ...Array.from({ length: 5 }, () => failed('c1'))];
    given(pendingRegistrationDecider, fiveWrong)
      .when(answer(true))
      .then([failed('c1')]);
    // A new code lives again, until the sign-up's ten failures in all.
    given(pendingRegistrationDecider, [...fiveWrong, sent('c2', 2)])
      .when(answer(true, 3))
      .then([{ type: IdentityEvent.RegistrationConfirmed, data: { registrationId: 'r1', userId: 'r1' } }]);
  });

  it('never confirms a sign-up of a taken address, whatever the answer', () => {
    const taken = { ...requested, data: { ...registration, passwordHash: undefined, existingUserId: 'u-owner' } };
    given(pendingRegistrationDecider, [taken, sent('c1', 0, null)])
      .when(answer(true))
      .then([failed('c1')]);
  });

  it('ends after ten failures, or ten minutes: recorded once, refused after', () => {
    const tenWrong = [
      requested,
      sent('c1'),
      ...Array.from({ length: 5 }, () => failed('c1')),
      sent('c2', 2),
      ...Array.from({ length: 5 }, () => failed('c2')),
    ];
    const expired = { type: IdentityEvent.RegistrationExpired, data: { registrationId: 'r1' } };
    given(pendingRegistrationDecider, tenWrong).when(answer(true, 4)).then([expired]);
    given(pendingRegistrationDecider, [requested, sent('c1')])
      .when(answer(true, 10))
      .then([expired]);
    given(pendingRegistrationDecider, [requested, sent('c1'), expired])
      .when(answer(true, 11))
      .thenThrows(RegistrationExpiredError, 'registration_expired');
  });

  it('sends a new code at most once a minute', () => {
    given(pendingRegistrationDecider, [requested, sent('c1')])
      .when({ kind: 'resend', codeId: 'c2', codeHash: 'hash-c2', now: at(0, 59) })
      .thenThrows(ResendTooSoonError, 'rate_limited');
    const { occurredAt: _c2, ...second } = sent('c2');
    given(pendingRegistrationDecider, [requested, sent('c1')])
      .when({ kind: 'resend', codeId: 'c2', codeHash: 'hash-c2', now: at(1) })
      .then([second]);
  });

  it('knows no sign-up before it is requested', () => {
    given(pendingRegistrationDecider, []).when(answer(true)).thenThrows(DomainError, 'not_found');
  });
});
