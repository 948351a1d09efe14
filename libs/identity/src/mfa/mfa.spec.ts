import type { HistoryEvent } from '../shared/decider';
import { DomainError } from '@app/platform';
import { IdentityEvent } from '@app/identity-events';
import { given } from '../testing/given';
import { accepted, mfaDecider, STEP_UP_MAX_FAILURES } from './mfa.decider';

const at = (minute: number) => `2026-06-01T08:${String(minute).padStart(2, '0')}:00.000Z`;
const registered: HistoryEvent = { type: IdentityEvent.UserRegistered, data: { userId: 'u1', email: 'a@x.io', emailNormalized: 'a@x.io', passwordHash: 'h', roles: [] }, occurredAt: at(0) };
const started: HistoryEvent = { type: IdentityEvent.TotpEnrollmentStarted, data: { userId: 'u1', sealedSecret: 'sealed' }, occurredAt: at(1) };
const enrolled: HistoryEvent = { type: IdentityEvent.TotpEnrolled, data: { userId: 'u1', timeStep: 100 }, occurredAt: at(2) };
const recovery = { codeHashes: ['h0', 'h1', 'h2'], sealedCodes: 'sealed-codes' };
const codesGenerated: HistoryEvent = { type: IdentityEvent.RecoveryCodesGenerated, data: { userId: 'u1', ...recovery }, occurredAt: at(2) };
const step = (n: number | null) => () => n;

describe('MFA rules', () => {
  it('enrolls TOTP with a code of the pending seed, creating recovery codes, and never stores the codes', () => {
    given(mfaDecider, [registered, started])
      .when({ kind: 'confirm_totp', check: step(100), recoveryCodes: { ...recovery, codes: ['plain'] } as never })
      .then([
        { type: IdentityEvent.TotpEnrolled, data: { userId: 'u1', timeStep: 100 } },
        { type: IdentityEvent.RecoveryCodesGenerated, data: { userId: 'u1', ...recovery } },
      ]);
  });

  it('accepts a TOTP code once: the same or an older time step is a replay', () => {
    const proof = (n: number) => ({ kind: 'second_factor' as const, proof: { method: 'totp' as const, check: step(n) } });
    given(mfaDecider, [registered, started, enrolled])
      .when(proof(101))
      .then([{ type: IdentityEvent.TotpCodeAccepted, data: { userId: 'u1', timeStep: 101, purpose: 'sign_in' } }]);
    given(mfaDecider, [registered, started, enrolled])
      .when(proof(100))
      .then([{ type: IdentityEvent.TotpReplayRejected, data: { userId: 'u1', timeStep: 100, purpose: 'sign_in' } }]);
    const used: HistoryEvent = { type: IdentityEvent.TotpCodeAccepted, data: { userId: 'u1', timeStep: 105, purpose: 'sign_in' }, occurredAt: at(3) };
    given(mfaDecider, [registered, started, enrolled, used])
      .when(proof(104))
      .then([{ type: IdentityEvent.TotpReplayRejected, data: { userId: 'u1', timeStep: 104, purpose: 'sign_in' } }]);
  });

  it('invalidates the recovery codes when TOTP is turned off', () => {
    given(mfaDecider, [registered, started, enrolled, codesGenerated])
      .when({ kind: 'disable_totp', check: step(101) })
      .then([
        { type: IdentityEvent.TotpCodeAccepted, data: { userId: 'u1', timeStep: 101, purpose: 'disable' } },
        { type: IdentityEvent.TotpDisabled, data: { userId: 'u1' } },
        { type: IdentityEvent.RecoveryCodesInvalidated, data: { userId: 'u1', reason: 'totp_disabled' } },
      ]);
  });

  it('uses a recovery code once', () => {
    const check = (hashes: readonly string[], usedSet: ReadonlySet<number>) => (usedSet.has(1) ? null : 1);
    given(mfaDecider, [registered, started, enrolled, codesGenerated])
      .when({ kind: 'second_factor', proof: { method: 'recovery_code', check } })
      .then([{ type: IdentityEvent.RecoveryCodeUsed, data: { userId: 'u1', index: 1, remaining: 2 } }]);
    const usedOne: HistoryEvent = { type: IdentityEvent.RecoveryCodeUsed, data: { userId: 'u1', index: 1, remaining: 2 }, occurredAt: at(4) };
    given(mfaDecider, [registered, started, enrolled, codesGenerated, usedOne])
      .when({ kind: 'second_factor', proof: { method: 'recovery_code', check } })
      .then([{ type: IdentityEvent.RecoveryCodeRejected, data: { userId: 'u1' } }]);
  });

  it('gives an email code at most 5 tries, 10 minutes, and one use', () => {
    const sent: HistoryEvent = { type: IdentityEvent.EmailCodeSent, data: { userId: 'u1', purpose: 'enable_email_mfa', codeId: 'c1', codeHash: 'x', expiresAt: at(15) }, occurredAt: at(5) };
    const failed: HistoryEvent = { type: IdentityEvent.EmailCodeFailed, data: { userId: 'u1', purpose: 'enable_email_mfa', codeId: 'c1' }, occurredAt: at(6) };
    const right = () => true;
    given(mfaDecider, [registered, sent])
      .when({ kind: 'enable_email', check: right, now: new Date(at(6)) })
      .then([{ type: IdentityEvent.EmailMfaEnabled, data: { userId: 'u1', address: 'a@x.io', codeId: 'c1' } }]);
    given(mfaDecider, [registered, sent, failed, failed, failed, failed, failed])
      .when({ kind: 'enable_email', check: right, now: new Date(at(7)) })
      .then([]);
    given(mfaDecider, [registered, sent]).when({ kind: 'enable_email', check: right, now: new Date(at(16)) }).then([]);
  });

  it('refuses a resend within 60 seconds', () => {
    const sent: HistoryEvent = { type: IdentityEvent.EmailCodeSent, data: { userId: 'u1', purpose: 'enable_email_mfa', codeId: 'c1', codeHash: 'x', expiresAt: at(15) }, occurredAt: at(5) };
    given(mfaDecider, [registered, sent])
      .when({ kind: 'send_email_code', purpose: 'enable_email_mfa', codeId: 'c2', codeHash: 'y', expiresAt: new Date(at(16)), now: new Date('2026-06-01T08:05:30.000Z'), cooldownMs: 60_000 })
      .thenThrows(DomainError, 'rate_limited');
  });

  it('asks for a code, not the password, once any method is on; and stops after repeated failures', () => {
    const command = (proof: never) => ({ kind: 'step_up' as const, proof, sessionId: 's1', tokenHash: 't', expiresAt: new Date(at(20)), now: new Date(at(10)) });
    given(mfaDecider, [registered, started, enrolled])
      .when(command({ method: 'password', valid: true } as never))
      .thenThrows(DomainError, 'mfa_code_required');
    const failure: HistoryEvent = { type: IdentityEvent.StepUpFailed, data: { userId: 'u1', method: 'totp' }, occurredAt: at(9) };
    given(mfaDecider, [registered, started, enrolled, ...Array(STEP_UP_MAX_FAILURES).fill(failure)])
      .when(command({ method: 'totp', check: step(200) } as never))
      .thenThrows(DomainError, 'rate_limited');
  });

  it('tells accepted decisions from recorded rejections', () => {
    expect(accepted([{ type: IdentityEvent.TotpCodeAccepted, data: { userId: 'u1', timeStep: 1, purpose: 'sign_in' } }])).toBe(true);
    expect(accepted([{ type: IdentityEvent.TotpCodeRejected, data: { userId: 'u1', purpose: 'sign_in' } }])).toBe(false);
    expect(accepted([])).toBe(false);
  });
});
