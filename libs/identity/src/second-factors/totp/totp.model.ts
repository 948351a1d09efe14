import { DomainError } from '@app/platform';
import { DomainEvent, IdentityEvent, identityEvent, type TotpCodeData } from '@app/identity-events';
import type { Decision } from '../../shared/command-executor';
import type { Decider, HistoryEvent } from '../../shared/decider';
import { secretFrom, type Snapshotting } from '../../shared/write-model-snapshots';

/** Checks a TOTP code against a sealed seed: the matched time step, or null. Pure given the time. */
export type TotpCheck = (sealedSecret: string) => number | null;

export type TotpCommand =
  | { kind: 'start'; sealedSecret: string }
  | { kind: 'confirm'; check: TotpCheck; recoveryCodes: { codeHashes: string[]; sealedCodes: string } }
  | { kind: 'disable'; check: TotpCheck };

/** A code offered as proof; what the accepted or refused proof brings along is the caller's. */
export interface TotpProof {
  check: TotpCheck;
  purpose: TotpCodeData['purpose'];
  whenAccepted: () => DomainEvent[];
  whenRefused: () => DomainEvent[];
}

export interface TotpState {
  userId: string | null;
  /** `pendingFrom` / `secretFrom`: revision of the TotpEnrollmentStarted that carried the sealed seed. */
  pendingSecret: string | null;
  pendingFrom: number | null;
  secret: string | null;
  secretFrom: number | null;
  enabledAt: string | null;
  /** The newest time step accepted: a code is accepted once (RFC 6238 section 5.2). */
  lastTimeStep: number;
  /** Recovery codes come with the app and go with it. */
  hasRecoveryCodes: boolean;
}

const OFF = { pendingSecret: null, pendingFrom: null, secret: null, secretFrom: null, enabledAt: null } as const;

function evolve(state: TotpState, event: HistoryEvent): TotpState {
  switch (event.type) {
    case IdentityEvent.UserRegistered:
      return { ...state, userId: event.data.userId };
    case IdentityEvent.TotpEnrollmentStarted:
      return { ...state, pendingSecret: event.data.sealedSecret, pendingFrom: event.revision ?? null };
    case IdentityEvent.TotpEnrolled:
      return {
        ...state,
        pendingSecret: null,
        pendingFrom: null,
        secret: state.pendingSecret,
        secretFrom: state.pendingFrom,
        enabledAt: event.occurredAt ?? null,
        lastTimeStep: Math.max(state.lastTimeStep, event.data.timeStep),
      };
    case IdentityEvent.TotpCodeAccepted:
      return { ...state, lastTimeStep: Math.max(state.lastTimeStep, event.data.timeStep) };
    case IdentityEvent.TotpDisabled:
      return { ...state, ...OFF };
    case IdentityEvent.MfaResetByAdmin:
      return { ...state, ...OFF, hasRecoveryCodes: false };
    case IdentityEvent.RecoveryCodesGenerated:
    case IdentityEvent.RecoveryCodesRegenerated:
      return { ...state, hasRecoveryCodes: event.data.codeHashes.length > 0 };
    case IdentityEvent.RecoveryCodesInvalidated:
      return { ...state, hasRecoveryCodes: false };
    default:
      return state;
  }
}

/** Checks a code: its acceptance or rejection is recorded either way, with what the caller brings along. */
export function decideTotpProof(proof: TotpProof, state: TotpState): Decision<boolean> {
  const userId = requireUser(state);
  const refused = (events: DomainEvent[]) => ({ events: [...events, ...proof.whenRefused()], result: false });
  if (!state.secret) return refused([]);
  const step = proof.check(state.secret);
  if (step === null)
    return refused([identityEvent(IdentityEvent.TotpCodeRejected, { userId, purpose: proof.purpose })]);
  // Also refuses older steps of the window.
  if (step <= state.lastTimeStep)
    return refused([
      identityEvent(IdentityEvent.TotpReplayRejected, { userId, timeStep: step, purpose: proof.purpose }),
    ]);
  return {
    events: [
      identityEvent(IdentityEvent.TotpCodeAccepted, { userId, timeStep: step, purpose: proof.purpose }),
      ...proof.whenAccepted(),
    ],
    result: true,
  };
}

function requireUser(state: TotpState): string {
  if (state.userId === null) throw new DomainError('not_found', 'No such user.');
  return state.userId;
}

const kept = (json: unknown) => json as Omit<TotpState, 'pendingSecret' | 'secret'>;

/** The sealed seed stays in its event: a snapshot keeps the revision that carried it. */
const totpSnapshotting: Snapshotting<TotpState> = {
  name: 'totp-v1',
  every: 50,
  toJson: (state) => {
    if (
      (state.pendingSecret !== null && state.pendingFrom === null) ||
      (state.secret !== null && state.secretFrom === null)
    )
      return null;
    const { pendingSecret: _pending, secret: _secret, ...rest } = state;
    return rest;
  },
  secretsAt: (json) =>
    [kept(json).pendingFrom, kept(json).secretFrom].filter((revision): revision is number => revision !== null),
  fromJson: (json, events) => ({
    ...kept(json),
    pendingSecret: secretFrom(events, kept(json).pendingFrom, 'sealedSecret'),
    secret: secretFrom(events, kept(json).secretFrom, 'sealedSecret'),
  }),
};

/** The authenticator app of one user: set up, confirmed, turned off; folded from user-{id}. */
export const totpModel: Decider<TotpCommand, TotpState> = {
  initialState: () => ({ userId: null, ...OFF, lastTimeStep: -1, hasRecoveryCodes: false }),
  evolve,
  snapshot: totpSnapshotting,
  decide: (command, state) => {
    const userId = requireUser(state);
    switch (command.kind) {
      case 'start':
        if (state.secret) throw new DomainError('conflict', 'The authenticator app is already on.');
        return [identityEvent(IdentityEvent.TotpEnrollmentStarted, { userId, sealedSecret: command.sealedSecret })];
      case 'confirm': {
        if (state.secret) throw new DomainError('conflict', 'The authenticator app is already on.');
        if (!state.pendingSecret) throw new DomainError('conflict', 'Start the authenticator set-up first.');
        const step = command.check(state.pendingSecret);
        if (step === null) return [identityEvent(IdentityEvent.TotpCodeRejected, { userId, purpose: 'enroll' })];
        // Only the keyed hashes and the sealed copy go into the event: never the codes themselves.
        return [
          identityEvent(IdentityEvent.TotpEnrolled, { userId, timeStep: step }),
          identityEvent(IdentityEvent.RecoveryCodesGenerated, {
            userId,
            codeHashes: command.recoveryCodes.codeHashes,
            sealedCodes: command.recoveryCodes.sealedCodes,
          }),
        ];
      }
      case 'disable': {
        if (!state.secret) throw new DomainError('conflict', 'The authenticator app is not on.');
        const whenAccepted = () => [
          identityEvent(IdentityEvent.TotpDisabled, { userId }),
          ...(state.hasRecoveryCodes
            ? [identityEvent(IdentityEvent.RecoveryCodesInvalidated, { userId, reason: 'totp_disabled' })]
            : []),
        ];
        return decideTotpProof({ check: command.check, purpose: 'disable', whenAccepted, whenRefused: () => [] }, state)
          .events;
      }
    }
  },
};
