import { secretFrom, secretListFrom, type Snapshotting } from '../shared/write-model-snapshots';
import type { MfaState } from './mfa.decider';

/** The MFA state as kept: no seed, hash or sealed code, only the revisions of their events. */
type KeptMfaState = Omit<MfaState, 'recovery'> & { recovery: Omit<MfaState['recovery'], 'used'> & { used: number[] } };

const isSet = (revision: number | null): revision is number => revision !== null;

/**
 * Each TOTP sign-in and step-up adds to the user stream for the account's whole life, and a
 * sign-in folds it up to four times: snapshots keep that bounded. Secrets stay in the event store
 * (the read store holds no hash or sealed seed): the snapshot names the events that carry them,
 * and loading reads those few events back.
 */
export const mfaSnapshotting: Snapshotting<MfaState> = {
  name: 'mfa-v1',
  every: 50,
  toJson: (state): KeptMfaState | null => {
    const { totp, recovery, emailCodes, stepUps } = state;
    const codes = Object.values(emailCodes);
    const sourceUnknown =
      (totp.pendingSecret !== null && totp.pendingFrom === null) ||
      (totp.secret !== null && totp.secretFrom === null) ||
      (recovery.sealedCodes !== null && recovery.from === null) ||
      codes.some((code) => code?.from === null) ||
      stepUps.some((grant) => grant.from === null);
    if (sourceUnknown) return null;
    return {
      ...state,
      totp: { ...totp, pendingSecret: null, secret: null },
      emailCodes: Object.fromEntries(Object.entries(emailCodes).map(([purpose, code]) => [purpose, { ...code!, codeHash: '' }])),
      recovery: { ...recovery, hashes: [], sealedCodes: null, used: [...recovery.used] },
      stepUps: stepUps.map((grant) => ({ ...grant, tokenHash: '' })),
    };
  },
  secretsAt: (json) => {
    const kept = json as KeptMfaState;
    return [
      kept.totp.pendingFrom,
      kept.totp.secretFrom,
      kept.recovery.from,
      ...Object.values(kept.emailCodes).map((code) => code!.from),
      ...kept.stepUps.map((grant) => grant.from),
    ].filter(isSet);
  },
  fromJson: (json, events) => {
    const kept = json as KeptMfaState;
    return {
      ...kept,
      totp: {
        ...kept.totp,
        pendingSecret: secretFrom(events, kept.totp.pendingFrom, 'sealedSecret'),
        secret: secretFrom(events, kept.totp.secretFrom, 'sealedSecret'),
      },
      emailCodes: Object.fromEntries(
        Object.entries(kept.emailCodes).map(([purpose, code]) => [purpose, { ...code!, codeHash: secretFrom(events, code!.from, 'codeHash')! }]),
      ),
      recovery: {
        ...kept.recovery,
        hashes: secretListFrom(events, kept.recovery.from, 'codeHashes') ?? [],
        sealedCodes: secretFrom(events, kept.recovery.from, 'sealedCodes'),
        used: new Set(kept.recovery.used),
      },
      stepUps: kept.stepUps.map((grant) => ({ ...grant, tokenHash: secretFrom(events, grant.from, 'tokenHash')! })),
    };
  },
};
