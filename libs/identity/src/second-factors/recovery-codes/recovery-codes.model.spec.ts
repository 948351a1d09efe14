import { IdentityEvent, identityEvent } from '@app/identity-events';
import type { HistoryEvent } from '../../shared/decider';
import { fold } from '../../shared/decider';
import { deciding, given } from '../../testing/given';
import { decideRecoveryCodeProof, recoveryCodesModel, remainingRecoveryCodes } from './recovery-codes.model';

const registered: HistoryEvent = identityEvent(IdentityEvent.UserRegistered, {
  userId: 'u1',
  email: 'a@x.io',
  emailNormalized: 'a@x.io',
  passwordHash: 'h',
  roles: [],
});
const generated: HistoryEvent = identityEvent(IdentityEvent.RecoveryCodesGenerated, {
  userId: 'u1',
  codeHashes: ['h0', 'h1', 'h2'],
  sealedCodes: 'sealed',
});
const usedOne: HistoryEvent = identityEvent(IdentityEvent.RecoveryCodeUsed, { userId: 'u1', index: 1, remaining: 2 });
const proving = deciding(recoveryCodesModel, decideRecoveryCodeProof);
const proof = {
  check: (_hashes: readonly string[], used: ReadonlySet<number>) => (used.has(1) ? null : 1),
  whenAccepted: () => [],
  whenRefused: () => [],
};

describe('recovery codes', () => {
  it('uses a code once', () => {
    given(proving, [registered, generated])
      .when(proof)
      .then([{ type: IdentityEvent.RecoveryCodeUsed, data: { userId: 'u1', index: 1, remaining: 2 } }]);
    given(proving, [registered, generated, usedOne])
      .when(proof)
      .then([{ type: IdentityEvent.RecoveryCodeRejected, data: { userId: 'u1' } }]);
  });

  it('counts what is left, and none after the app is turned off, a new set, or an MFA reset', () => {
    expect(remainingRecoveryCodes(fold(recoveryCodesModel, [registered, generated, usedOne]))).toBe(2);
    const invalidated = identityEvent(IdentityEvent.RecoveryCodesInvalidated, {
      userId: 'u1',
      reason: 'totp_disabled',
    });
    expect(remainingRecoveryCodes(fold(recoveryCodesModel, [registered, generated, usedOne, invalidated]))).toBe(0);
    const reset = identityEvent(IdentityEvent.MfaResetByAdmin, { userId: 'u1', reason: 'lost phone' });
    expect(remainingRecoveryCodes(fold(recoveryCodesModel, [registered, generated, reset]))).toBe(0);
    const regenerated = identityEvent(IdentityEvent.RecoveryCodesRegenerated, {
      userId: 'u1',
      codeHashes: ['n0', 'n1'],
      sealedCodes: 'sealed-2',
    });
    expect(remainingRecoveryCodes(fold(recoveryCodesModel, [registered, generated, usedOne, regenerated]))).toBe(2);
  });
});
