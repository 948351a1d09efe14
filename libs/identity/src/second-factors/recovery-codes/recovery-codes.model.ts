import { DomainError } from '@app/platform';
import { DomainEvent, IdentityEvent, identityEvent } from '@app/identity-events';
import type { Decision } from '../../shared/command-executor';
import type { Decider, HistoryEvent } from '../../shared/decider';
import { secretFrom, secretListFrom, type Snapshotting } from '../../shared/write-model-snapshots';

/** Finds the index of an unused recovery code among the stored hashes, or null. */
export type RecoveryCodeCheck = (hashes: readonly string[], used: ReadonlySet<number>) => number | null;

export interface RecoveryCodeProof {
  check: RecoveryCodeCheck;
  whenAccepted: () => DomainEvent[];
  whenRefused: () => DomainEvent[];
}

export interface RecoveryCodesState {
  userId: string | null;
  /** HMAC-SHA256 of each code. */
  hashes: string[];
  /** The codes sealed, to show them again after a fresh app code. */
  sealedCodes: string | null;
  used: Set<number>;
  generatedAt: string | null;
  /** Revision of the event that carried the hashes and the sealed codes. */
  from: number | null;
}

const none = (state: RecoveryCodesState): RecoveryCodesState => ({
  ...state,
  hashes: [],
  sealedCodes: null,
  used: new Set(),
  generatedAt: null,
  from: null,
});

export function remainingRecoveryCodes(state: RecoveryCodesState): number {
  return state.hashes.length - state.used.size;
}

function evolve(state: RecoveryCodesState, event: HistoryEvent): RecoveryCodesState {
  switch (event.type) {
    case IdentityEvent.UserRegistered:
      return { ...state, userId: event.data.userId };
    case IdentityEvent.RecoveryCodesGenerated:
    case IdentityEvent.RecoveryCodesRegenerated:
      return {
        ...state,
        hashes: event.data.codeHashes,
        sealedCodes: event.data.sealedCodes,
        used: new Set(),
        generatedAt: event.occurredAt ?? null,
        from: event.revision ?? null,
      };
    case IdentityEvent.RecoveryCodeUsed:
      return { ...state, used: new Set([...state.used, event.data.index]) };
    case IdentityEvent.RecoveryCodesInvalidated:
    case IdentityEvent.MfaResetByAdmin:
      return none(state);
    default:
      return state;
  }
}

/** One unused code, used up; a wrong one is recorded too. */
export function decideRecoveryCodeProof(proof: RecoveryCodeProof, state: RecoveryCodesState): Decision<boolean> {
  if (state.userId === null) throw new DomainError('not_found', 'No such user.');
  const userId = state.userId;
  const index = proof.check(state.hashes, state.used);
  if (index === null)
    return {
      events: [identityEvent(IdentityEvent.RecoveryCodeRejected, { userId }), ...proof.whenRefused()],
      result: false,
    };
  const remaining = remainingRecoveryCodes(state) - 1;
  return {
    events: [identityEvent(IdentityEvent.RecoveryCodeUsed, { userId, index, remaining }), ...proof.whenAccepted()],
    result: true,
  };
}

type KeptRecoveryCodes = Omit<RecoveryCodesState, 'hashes' | 'sealedCodes' | 'used'> & { used: number[] };
const kept = (json: unknown) => json as KeptRecoveryCodes;

const recoveryCodesSnapshotting: Snapshotting<RecoveryCodesState> = {
  name: 'recovery-codes-v1',
  every: 50,
  toJson: (state): KeptRecoveryCodes | null => {
    if (state.sealedCodes !== null && state.from === null) return null;
    return { userId: state.userId, used: [...state.used], generatedAt: state.generatedAt, from: state.from };
  },
  secretsAt: (json) => (kept(json).from === null ? [] : [kept(json).from as number]),
  fromJson: (json, events) => ({
    ...kept(json),
    hashes: secretListFrom(events, kept(json).from, 'codeHashes') ?? [],
    sealedCodes: secretFrom(events, kept(json).from, 'sealedCodes'),
    used: new Set(kept(json).used),
  }),
};

/** The recovery codes of one user, folded from user-{id}. Created and replaced with the authenticator app. */
export const recoveryCodesModel: Decider<never, RecoveryCodesState> = {
  initialState: () => ({ userId: null, hashes: [], sealedCodes: null, used: new Set(), generatedAt: null, from: null }),
  evolve,
  snapshot: recoveryCodesSnapshotting,
  decide: () => [],
};
