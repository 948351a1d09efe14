import { DomainError } from '@app/platform';
import { IdentityEvent, identityEvent } from '@app/identity-events';
import type { HistoryEvent } from '../shared/decider';
import { given } from '../testing/given';
import { STEP_UP_MAX_FAILURES, StepUpRequiredError, stepUpModel } from './step-up.model';

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
const password = (valid: boolean, secondFactorOn = false) => ({
  kind: 'confirm_password' as const,
  valid,
  secondFactorOn,
  sessionId: 's1',
  tokenHash: 't',
  expiresAt: new Date(at(20)),
  now: new Date(at(10)),
});
const granted: HistoryEvent = {
  ...identityEvent(IdentityEvent.StepUpCompleted, {
    userId: 'u1',
    sessionId: 's1',
    method: 'password',
    tokenHash: 't',
    expiresAt: at(15),
  }),
  occurredAt: at(10),
};
const use = (action: 'start_totp' | 'change_email', minute = 11) => ({
  kind: 'use' as const,
  sessionId: 's1',
  tokenHash: 't',
  action,
  now: new Date(at(minute)),
});

describe('step-up', () => {
  it('takes the password only while no second factor is on, and stops after repeated failures', () => {
    given(stepUpModel, [registered])
      .when(password(true))
      .then([
        {
          type: IdentityEvent.StepUpCompleted,
          data: { userId: 'u1', sessionId: 's1', method: 'password', tokenHash: 't', expiresAt: at(20) },
        },
      ]);
    given(stepUpModel, [registered])
      .when(password(false))
      .then([{ type: IdentityEvent.StepUpFailed, data: { userId: 'u1', method: 'password' } }]);
    given(stepUpModel, [registered]).when(password(true, true)).thenThrows(DomainError, 'mfa_code_required');
    const failure: HistoryEvent = {
      ...identityEvent(IdentityEvent.StepUpFailed, { userId: 'u1', method: 'totp' }),
      occurredAt: at(9),
    };
    given(stepUpModel, [registered, ...Array(STEP_UP_MAX_FAILURES).fill(failure)])
      .when(password(true))
      .thenThrows(DomainError, 'rate_limited');
  });

  it('binds a grant to the first action it serves, until that action completes', () => {
    given(stepUpModel, [registered, granted])
      .when(use('start_totp'))
      .then([
        {
          type: IdentityEvent.StepUpUsed,
          data: { userId: 'u1', sessionId: 's1', tokenHash: 't', action: 'start_totp' },
        },
      ]);
    const used: HistoryEvent = {
      ...identityEvent(IdentityEvent.StepUpUsed, {
        userId: 'u1',
        sessionId: 's1',
        tokenHash: 't',
        action: 'start_totp',
      }),
      occurredAt: at(11),
    };
    given(stepUpModel, [registered, granted, used]).when(use('start_totp', 12)).then([]); // a retry of the same action
    given(stepUpModel, [registered, granted, used]).when(use('change_email', 12)).thenThrows(StepUpRequiredError);
    const done: HistoryEvent = {
      ...identityEvent(IdentityEvent.TotpEnrolled, { userId: 'u1', timeStep: 5 }),
      occurredAt: at(12),
    };
    given(stepUpModel, [registered, granted, used, done]).when(use('start_totp', 13)).thenThrows(StepUpRequiredError);
    given(stepUpModel, [registered, granted]).when(use('start_totp', 16)).thenThrows(StepUpRequiredError); // expired
  });

  it('ends every grant when the password changes or an administrator locks the account', () => {
    const changed: HistoryEvent = {
      ...identityEvent(IdentityEvent.PasswordChanged, { userId: 'u1', passwordHash: 'h2', sessionId: null }),
      occurredAt: at(11),
    };
    given(stepUpModel, [registered, granted, changed]).when(use('start_totp', 12)).thenThrows(StepUpRequiredError);
    const locked: HistoryEvent = {
      ...identityEvent(IdentityEvent.AccountLockedByAdmin, { userId: 'u1' }),
      occurredAt: at(11),
    };
    given(stepUpModel, [registered, granted, locked]).when(use('start_totp', 12)).thenThrows(StepUpRequiredError);
  });
});
