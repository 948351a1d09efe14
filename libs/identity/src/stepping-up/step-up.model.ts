import { DomainError } from '@app/platform';
import { IdentityEvent, identityEvent, type StepUpAction } from '@app/identity-events';
import type { Decider, HistoryEvent } from '../shared/decider';
import { secretFrom, type Snapshotting } from '../shared/write-model-snapshots';

export const STEP_UP_MAX_FAILURES = 5;
export const STEP_UP_FAILURE_WINDOW_MS = 15 * 60_000;

export type StepUpCommand =
  /** The current password, for an account without a second factor. */
  | {
      kind: 'confirm_password';
      valid: boolean;
      sessionId: string;
      tokenHash: string;
      expiresAt: Date;
      now: Date;
      secondFactorOn: boolean;
    }
  | { kind: 'use'; sessionId: string; tokenHash: string; action: StepUpAction; now: Date };

interface Grant {
  sessionId: string;
  tokenHash: string;
  expiresAt: number;
  /** Binds the grant to the first action it served. */
  usedFor: StepUpAction | null;
  /** Revision of the StepUpCompleted that carried the token's hash. */
  from: number | null;
}

export interface StepUpState {
  userId: string | null;
  grants: Grant[];
  failures: number[];
}

const at = (event: HistoryEvent) => (event.occurredAt ? Date.parse(event.occurredAt) : 0);
/** A completed action spends the grants bound to it. */
const spend = (state: StepUpState, action: StepUpAction): StepUpState => ({
  ...state,
  grants: state.grants.filter((grant) => grant.usedFor !== action),
});

function evolve(state: StepUpState, event: HistoryEvent): StepUpState {
  switch (event.type) {
    case IdentityEvent.UserRegistered:
      return { ...state, userId: event.data.userId };
    case IdentityEvent.StepUpCompleted: {
      const kept = state.grants.filter((grant) => grant.expiresAt > at(event));
      const grant = {
        sessionId: event.data.sessionId,
        tokenHash: event.data.tokenHash,
        expiresAt: Date.parse(event.data.expiresAt),
        usedFor: null,
        from: event.revision ?? null,
      };
      return { ...state, grants: [...kept, grant] };
    }
    case IdentityEvent.StepUpUsed: {
      const use = event.data;
      return {
        ...state,
        grants: state.grants.map((grant) =>
          grant.sessionId === use.sessionId && grant.tokenHash === use.tokenHash
            ? { ...grant, usedFor: use.action }
            : grant,
        ),
      };
    }
    case IdentityEvent.StepUpFailed:
      return {
        ...state,
        failures: [...state.failures.filter((t) => t > at(event) - STEP_UP_FAILURE_WINDOW_MS), at(event)],
      };
    // The actions a grant serves end it when they complete.
    case IdentityEvent.TotpEnrolled:
      return spend(state, 'start_totp');
    case IdentityEvent.EmailMfaEnabled:
      return spend(state, 'enable_email_mfa');
    case IdentityEvent.EmailChanged:
      return spend(state, 'change_email');
    case IdentityEvent.PasskeyRegistered:
      return spend(state, 'register_passkey');
    case IdentityEvent.PasskeyRemoved:
      return spend(state, 'remove_passkey');
    // Grants die with the account's state: a password change, an admin lock or MFA reset ends them all.
    case IdentityEvent.PasswordChanged:
    case IdentityEvent.AccountLockedByAdmin:
    case IdentityEvent.MfaResetByAdmin:
      return { ...state, grants: [] };
    default:
      return state;
  }
}

/** Too many failed confirmations lately: refused before anything is checked. */
export function stepUpsExhausted(state: StepUpState, now: Date): boolean {
  return state.failures.filter((t) => t > now.getTime() - STEP_UP_FAILURE_WINDOW_MS).length >= STEP_UP_MAX_FAILURES;
}

/** The open grant of this session with this token, if it has not expired. */
export function liveGrant(state: StepUpState, sessionId: string, tokenHash: string, now: Date): Grant | null {
  return (
    state.grants.find(
      (grant) => grant.sessionId === sessionId && grant.tokenHash === tokenHash && grant.expiresAt > now.getTime(),
    ) ?? null
  );
}

export class StepUpRequiredError extends DomainError {
  constructor() {
    super(
      'reauth_required',
      'Confirm your identity first (POST /v1/me/reauth) and send X-Reauth-Token; a confirmation serves one action.',
    );
  }
}

export class StepUpsExhaustedError extends DomainError {
  constructor() {
    super('rate_limited', 'Too many failed confirmations; try again later.');
  }
}

type KeptStepUps = StepUpState;
const kept = (json: unknown) => json as KeptStepUps;

const stepUpSnapshotting: Snapshotting<StepUpState> = {
  name: 'step-up-v1',
  every: 50,
  toJson: (state) =>
    state.grants.some((grant) => grant.from === null)
      ? null
      : { ...state, grants: state.grants.map((grant) => ({ ...grant, tokenHash: '' })) },
  secretsAt: (json) => kept(json).grants.flatMap((grant) => (grant.from === null ? [] : [grant.from])),
  fromJson: (json, events) => ({
    ...kept(json),
    grants: kept(json).grants.map((grant) => ({ ...grant, tokenHash: secretFrom(events, grant.from, 'tokenHash')! })),
  }),
};

/**
 * Step-up grants of one user, folded from user-{id}: a fresh confirmation of identity, bound to
 * the session, lasting minutes, serving one sensitive action.
 */
export const stepUpModel: Decider<StepUpCommand, StepUpState> = {
  initialState: () => ({ userId: null, grants: [], failures: [] }),
  evolve,
  snapshot: stepUpSnapshotting,
  decide: (command, state) => {
    if (state.userId === null) throw new DomainError('not_found', 'No such user.');
    const userId = state.userId;
    switch (command.kind) {
      case 'confirm_password': {
        if (stepUpsExhausted(state, command.now)) throw new StepUpsExhaustedError();
        if (command.secondFactorOn)
          throw new DomainError(
            'mfa_code_required',
            'Two-step verification is on: confirm with a code instead of the password.',
          );
        if (!command.valid) return [identityEvent(IdentityEvent.StepUpFailed, { userId, method: 'password' })];
        return [
          identityEvent(IdentityEvent.StepUpCompleted, {
            userId,
            sessionId: command.sessionId,
            method: 'password',
            tokenHash: command.tokenHash,
            expiresAt: command.expiresAt.toISOString(),
          }),
        ];
      }
      case 'use': {
        // One grant, one action: a retry of that action (a resend) may use it again, nothing else.
        const grant = liveGrant(state, command.sessionId, command.tokenHash, command.now);
        if (!grant || (grant.usedFor !== null && grant.usedFor !== command.action)) throw new StepUpRequiredError();
        if (grant.usedFor === command.action) return [];
        return [
          identityEvent(IdentityEvent.StepUpUsed, {
            userId,
            sessionId: command.sessionId,
            tokenHash: command.tokenHash,
            action: command.action,
          }),
        ];
      }
    }
  },
};
