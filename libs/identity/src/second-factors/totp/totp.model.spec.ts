import { DomainError } from '@app/platform';
import { IdentityEvent, identityEvent } from '@app/identity-events';
import type { HistoryEvent } from '../../shared/decider';
import { deciding, given } from '../../testing/given';
import { decideTotpProof, totpModel } from './totp.model';

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
const started: HistoryEvent = {
  ...identityEvent(IdentityEvent.TotpEnrollmentStarted, { userId: 'u1', sealedSecret: 'sealed' }),
  occurredAt: at(1),
};
const enrolled: HistoryEvent = {
  ...identityEvent(IdentityEvent.TotpEnrolled, { userId: 'u1', timeStep: 100 }),
  occurredAt: at(2),
};
const recovery = { codeHashes: ['h0', 'h1', 'h2'], sealedCodes: 'sealed-codes' };
const codesGenerated: HistoryEvent = {
  ...identityEvent(IdentityEvent.RecoveryCodesGenerated, { userId: 'u1', ...recovery }),
  occurredAt: at(2),
};
const step = (n: number | null) => () => n;
const proving = deciding(totpModel, decideTotpProof);
const proof = (n: number | null, extra: { whenAccepted?: () => HistoryEvent[] } = {}) => ({
  check: step(n),
  purpose: 'sign_in' as const,
  whenAccepted: extra.whenAccepted ?? (() => []),
  whenRefused: () => [identityEvent(IdentityEvent.StepUpFailed, { userId: 'u1', method: 'totp' })],
});

describe('the authenticator app (TOTP)', () => {
  it('is turned on by a code of the pending seed, creating recovery codes, and never stores the codes', () => {
    given(totpModel, [registered, started])
      .when({ kind: 'confirm', check: step(100), recoveryCodes: { ...recovery, codes: ['plain'] } as never })
      .then([
        { type: IdentityEvent.TotpEnrolled, data: { userId: 'u1', timeStep: 100 } },
        { type: IdentityEvent.RecoveryCodesGenerated, data: { userId: 'u1', ...recovery } },
      ]);
    given(totpModel, [registered, started])
      .when({ kind: 'confirm', check: step(null), recoveryCodes: recovery })
      .then([{ type: IdentityEvent.TotpCodeRejected, data: { userId: 'u1', purpose: 'enroll' } }]);
    given(totpModel, [registered])
      .when({ kind: 'confirm', check: step(100), recoveryCodes: recovery })
      .thenThrows(DomainError, 'conflict');
    given(totpModel, [registered, started, enrolled])
      .when({ kind: 'start', sealedSecret: 'again' })
      .thenThrows(DomainError, 'conflict');
  });

  it('accepts a code once: the same or an older time step is a replay', () => {
    given(proving, [registered, started, enrolled])
      .when(proof(101))
      .then([{ type: IdentityEvent.TotpCodeAccepted, data: { userId: 'u1', timeStep: 101, purpose: 'sign_in' } }]);
    given(proving, [registered, started, enrolled])
      .when(proof(100))
      .then([
        { type: IdentityEvent.TotpReplayRejected, data: { userId: 'u1', timeStep: 100, purpose: 'sign_in' } },
        { type: IdentityEvent.StepUpFailed, data: { userId: 'u1', method: 'totp' } },
      ]);
    const used: HistoryEvent = {
      ...identityEvent(IdentityEvent.TotpCodeAccepted, { userId: 'u1', timeStep: 105, purpose: 'sign_in' }),
      occurredAt: at(3),
    };
    given(proving, [registered, started, enrolled, used])
      .when(proof(104))
      .then([
        { type: IdentityEvent.TotpReplayRejected, data: { userId: 'u1', timeStep: 104, purpose: 'sign_in' } },
        { type: IdentityEvent.StepUpFailed, data: { userId: 'u1', method: 'totp' } },
      ]);
  });

  it('appends what an accepted code brings along in the same decision, and refuses when the app is off', () => {
    const grant = () => [identityEvent(IdentityEvent.RecoveryCodesViewed, { userId: 'u1' })];
    given(proving, [registered, started, enrolled])
      .when(proof(101, { whenAccepted: grant }))
      .then([
        { type: IdentityEvent.TotpCodeAccepted, data: { userId: 'u1', timeStep: 101, purpose: 'sign_in' } },
        ...grant(),
      ]);
    given(proving, [registered, started])
      .when(proof(101, { whenAccepted: grant }))
      .then([{ type: IdentityEvent.StepUpFailed, data: { userId: 'u1', method: 'totp' } }]);
  });

  it('invalidates the recovery codes when turned off', () => {
    given(totpModel, [registered, started, enrolled, codesGenerated])
      .when({ kind: 'disable', check: step(101) })
      .then([
        { type: IdentityEvent.TotpCodeAccepted, data: { userId: 'u1', timeStep: 101, purpose: 'disable' } },
        { type: IdentityEvent.TotpDisabled, data: { userId: 'u1' } },
        { type: IdentityEvent.RecoveryCodesInvalidated, data: { userId: 'u1', reason: 'totp_disabled' } },
      ]);
    given(totpModel, [registered, started, enrolled, codesGenerated])
      .when({ kind: 'disable', check: step(null) })
      .then([{ type: IdentityEvent.TotpCodeRejected, data: { userId: 'u1', purpose: 'disable' } }]);
    given(totpModel, [registered])
      .when({ kind: 'disable', check: step(101) })
      .thenThrows(DomainError, 'conflict');
  });

  it('is off after an administrator resets two-step verification', () => {
    const reset: HistoryEvent = {
      ...identityEvent(IdentityEvent.MfaResetByAdmin, { userId: 'u1', reason: 'lost phone' }),
      occurredAt: at(5),
    };
    given(proving, [registered, started, enrolled, reset])
      .when(proof(101))
      .then([{ type: IdentityEvent.StepUpFailed, data: { userId: 'u1', method: 'totp' } }]);
  });
});
