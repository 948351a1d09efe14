import { DomainError } from '@app/platform';
import { IdentityEvent, identityEvent } from '@app/identity-events';
import type { HistoryEvent } from '../../shared/decider';
import { deciding, given } from '../../testing/given';
import { decideEmailCodeProof, emailCodeModel } from './email-code.model';

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
const sent = (purpose: 'enable_email_mfa' | 'reauthenticate', codeId = 'c1'): HistoryEvent => ({
  ...identityEvent(IdentityEvent.EmailCodeSent, { userId: 'u1', purpose, codeId, codeHash: 'x', expiresAt: at(15) }),
  occurredAt: at(5),
});
const failed: HistoryEvent = {
  ...identityEvent(IdentityEvent.EmailCodeFailed, { userId: 'u1', purpose: 'enable_email_mfa', codeId: 'c1' }),
  occurredAt: at(6),
};
const enabled: HistoryEvent = {
  ...identityEvent(IdentityEvent.EmailMfaEnabled, { userId: 'u1', address: 'a@x.io', codeId: 'c0' }),
  occurredAt: at(1),
};
const right = () => true;

describe('email codes as a second factor', () => {
  it('gives a code at most 5 tries, 10 minutes, and one use', () => {
    given(emailCodeModel, [registered, sent('enable_email_mfa')])
      .when({ kind: 'enable', check: right, now: new Date(at(6)) })
      .then([{ type: IdentityEvent.EmailMfaEnabled, data: { userId: 'u1', address: 'a@x.io', codeId: 'c1' } }]);
    given(emailCodeModel, [registered, sent('enable_email_mfa'), failed, failed, failed, failed, failed])
      .when({ kind: 'enable', check: right, now: new Date(at(7)) })
      .then([]);
    given(emailCodeModel, [registered, sent('enable_email_mfa')])
      .when({ kind: 'enable', check: right, now: new Date(at(16)) })
      .then([]);
    given(emailCodeModel, [registered, sent('enable_email_mfa')])
      .when({ kind: 'enable', check: () => false, now: new Date(at(6)) })
      .then([
        { type: IdentityEvent.EmailCodeFailed, data: { userId: 'u1', purpose: 'enable_email_mfa', codeId: 'c1' } },
      ]);
  });

  it('refuses a resend within 60 seconds', () => {
    given(emailCodeModel, [registered, sent('enable_email_mfa')])
      .when({
        kind: 'send',
        purpose: 'enable_email_mfa',
        codeId: 'c2',
        codeHash: 'y',
        expiresAt: new Date(at(16)),
        now: new Date('2026-06-01T08:05:30.000Z'),
        cooldownMs: 60_000,
      })
      .thenThrows(DomainError, 'rate_limited');
  });

  it('uses a step-up code once: the accepted proof brings the grant that names it', () => {
    const proving = deciding(emailCodeModel, decideEmailCodeProof);
    const grant = (codeId: string) => [
      identityEvent(IdentityEvent.StepUpCompleted, {
        userId: 'u1',
        sessionId: 's1',
        method: 'email',
        tokenHash: 't',
        expiresAt: at(20),
        codeId,
      }),
    ];
    const proof = {
      check: right,
      now: new Date(at(6)),
      whenAccepted: grant,
      whenRefused: () => [identityEvent(IdentityEvent.StepUpFailed, { userId: 'u1', method: 'email' })],
    };
    given(proving, [registered, enabled, sent('reauthenticate')])
      .when(proof)
      .then(grant('c1'));
    const granted: HistoryEvent = { ...grant('c1')[0], occurredAt: at(6) };
    given(proving, [registered, enabled, sent('reauthenticate'), granted])
      .when(proof)
      .then([{ type: IdentityEvent.StepUpFailed, data: { userId: 'u1', method: 'email' } }]);
  });
});
