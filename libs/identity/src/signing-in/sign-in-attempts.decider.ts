import {
  DomainEvent,
  IdentityEvent,
  LoginFailed,
  type LoginFailedData,
  type ProofFactor,
  type ProofPurpose,
} from '@app/identity-events';
import { Decider, HistoryEvent } from '../shared/decider';

export interface LockoutPolicy {
  /** Wrong passwords within the window that lock the account. */
  threshold: number;
  windowSeconds: number;
  /** First lock; each further lock within a day lasts four times longer, up to the maximum. */
  baseLockSeconds: number;
  maxLockSeconds: number;
}

/** One sign-in attempt on an address, decided after the password was checked. */
export interface AttemptSignIn {
  /** The account with this address, or null when there is none. */
  userId: string | null;
  passwordValid: boolean;
  /** The session to start, or the MFA challenge the password opens. */
  sessionId: string;
  secondFactorRequired?: boolean;
  /** An administrator locked the account: refused like an automatic lock. */
  lockedByAdmin?: boolean;
  now: Date;
  policy: LockoutPolicy;
}

/** An administrator lifts an automatic lock. */
export interface UnlockSignIn {
  kind: 'unlock';
  userId: string;
}

/** Any other proof of identity of a known account (a code, the current password), once checked. */
export interface RecordProof {
  kind: 'proof';
  userId: string;
  factor: ProofFactor;
  purpose: ProofPurpose;
  succeeded: boolean;
  now: Date;
  policy: LockoutPolicy;
}

export interface SignInAttemptsState {
  /** Times (ms) of wrong passwords since the last success or lock. */
  failures: number[];
  /** Times (ms) locks started. */
  locks: number[];
  lockedUntil: number | null;
}

const LOCK_MEMORY_MS = 24 * 3600 * 1000;

export function lockDurationSeconds(lockNumber: number, policy: LockoutPolicy): number {
  return Math.min(policy.baseLockSeconds * 4 ** (lockNumber - 1), policy.maxLockSeconds);
}

export function isLocked(state: SignInAttemptsState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil > now.getTime();
}

/** Whole seconds until an automatic lock ends (0 when not locked): the Retry-After of a refusal. */
export function lockRemainingSeconds(state: SignInAttemptsState, now: Date): number {
  return isLocked(state, now) ? Math.ceil((state.lockedUntil! - now.getTime()) / 1000) : 0;
}

const timeOf = (event: HistoryEvent) => (event.occurredAt ? Date.parse(event.occurredAt) : 0);

/**
 * The account's one failure budget (a small write model, folded from the attempts stream of its
 * address): every wrong proof of identity counts, the password at sign-in and every code or
 * current password elsewhere; at the threshold the account locks, each lock within a day four
 * times longer. Because it is decided on the folded stream, concurrent failures cannot both see
 * "not locked yet" and lock twice. Only a complete proof starts the count over: a password that
 * still needs a second factor does not, or knowing the password would buy unlimited code guesses.
 */
export const signInAttemptsDecider: Decider<
  AttemptSignIn | UnlockSignIn | RecordProof,
  SignInAttemptsState,
  DomainEvent
> = {
  initialState: () => ({ failures: [], locks: [], lockedUntil: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case IdentityEvent.LoginFailed:
        return event.data.reason === 'wrong_password'
          ? { ...state, failures: [...state.failures, timeOf(event)] }
          : state;
      case IdentityEvent.AuthenticationFailed:
        return { ...state, failures: [...state.failures, timeOf(event)] };
      case IdentityEvent.LoginSucceeded:
        return event.data.secondFactorRequired ? state : { ...state, failures: [] };
      case IdentityEvent.AuthenticationSucceeded:
        return { ...state, failures: [] };
      case IdentityEvent.AccountUnlocked:
        return { ...state, failures: [], lockedUntil: null };
      case IdentityEvent.AccountLocked:
        return {
          failures: [],
          locks: [...state.locks, timeOf(event)],
          lockedUntil: Date.parse(event.data.until),
        };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    if ('kind' in command) {
      if (command.kind === 'unlock') return [{ type: IdentityEvent.AccountUnlocked, data: { userId: command.userId } }];
      return decideProof(command, state);
    }
    const { userId, now, policy } = command;
    if (userId === null) return [failed(null, 'unknown_account')];
    if (isLocked(state, now) || command.lockedByAdmin) return [failed(userId, 'account_locked')];
    if (command.passwordValid) {
      const data = {
        userId,
        sessionId: command.sessionId,
        ...(command.secondFactorRequired ? { secondFactorRequired: true } : {}),
      };
      return [{ type: IdentityEvent.LoginSucceeded, data }];
    }
    return [failed(userId, 'wrong_password'), ...lockIfExhausted(state, userId, now, policy)];
  },
  // Every sign-in adds to this stream for the account's whole life: a sign-in reads the last
  // snapshot and the events after it, not years of history.
  snapshot: {
    name: 'signin-attempts-v1',
    every: 100,
    // Only the recent past decides (failures within the window, locks within a day): the kept
    // lists are bounded (the threshold is at most 100; four locks reach the longest duration).
    toJson: (state) => ({
      failures: state.failures.slice(-100),
      locks: state.locks.slice(-50),
      lockedUntil: state.lockedUntil,
    }),
    fromJson: (json) => json as SignInAttemptsState,
  },
};

/**
 * A checked proof other than the sign-in password. The caller refuses (and does not check) any
 * proof while the account is locked, so a proof decided here was checked while it was open.
 */
function decideProof(command: RecordProof, state: SignInAttemptsState): DomainEvent[] {
  const { userId, factor, purpose } = command;
  if (command.succeeded) {
    // Nothing to start over: no event, so a busy account's stream does not grow with every code.
    return state.failures.length > 0
      ? [{ type: IdentityEvent.AuthenticationSucceeded, data: { userId, factor, purpose } }]
      : [];
  }
  return [
    { type: IdentityEvent.AuthenticationFailed, data: { userId, factor, purpose } },
    ...lockIfExhausted(state, userId, command.now, command.policy),
  ];
}

/** The lock that one more failure (now) triggers, if it reaches the threshold within the window. */
function lockIfExhausted(state: SignInAttemptsState, userId: string, now: Date, policy: LockoutPolicy): DomainEvent[] {
  const windowStart = now.getTime() - policy.windowSeconds * 1000;
  const recentFailures = state.failures.filter((at) => at > windowStart).length + 1;
  if (recentFailures < policy.threshold) return [];
  const lockNumber = state.locks.filter((at) => at > now.getTime() - LOCK_MEMORY_MS).length + 1;
  const until = new Date(now.getTime() + lockDurationSeconds(lockNumber, policy) * 1000).toISOString();
  return [{ type: IdentityEvent.AccountLocked, data: { userId, until, failures: recentFailures, lockNumber } }];
}

function failed(userId: string | null, reason: LoginFailedData['reason']): LoginFailed {
  return { type: IdentityEvent.LoginFailed, data: { userId, reason } };
}
