import {
  DomainEvent,
  IdentityEvent,
  LoginFailed,
  type AccountLockedData,
  type LoginFailedData,
} from '../events/identity-events';
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

const timeOf = (event: HistoryEvent) => (event.occurredAt ? Date.parse(event.occurredAt) : 0);

/**
 * The lockout rules, folded from the sign-in attempts of one address only (a small write model):
 * the decision whether this attempt succeeds, fails, or locks the account. Because it is decided
 * on the folded stream, concurrent attempts cannot both see "not locked yet" and lock twice.
 */
export const signInAttemptsDecider: Decider<AttemptSignIn | UnlockSignIn, SignInAttemptsState, DomainEvent> = {
  initialState: () => ({ failures: [], locks: [], lockedUntil: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case IdentityEvent.LoginFailed:
        return (event.data as LoginFailedData).reason === 'wrong_password'
          ? { ...state, failures: [...state.failures, timeOf(event)] }
          : state;
      case IdentityEvent.LoginSucceeded:
        return { ...state, failures: [] };
      case IdentityEvent.AccountUnlocked:
        return { ...state, failures: [], lockedUntil: null };
      case IdentityEvent.AccountLocked:
        return {
          failures: [],
          locks: [...state.locks, timeOf(event)],
          lockedUntil: Date.parse((event.data as AccountLockedData).until),
        };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    if ('kind' in command) return [{ type: IdentityEvent.AccountUnlocked, data: { userId: command.userId } }];
    const { userId, now, policy } = command;
    if (userId === null) return [failed(null, 'unknown_account')];
    if (isLocked(state, now) || command.lockedByAdmin) return [failed(userId, 'account_locked')];
    if (command.passwordValid) {
      const data = { userId, sessionId: command.sessionId, ...(command.secondFactorRequired ? { secondFactorRequired: true } : {}) };
      return [{ type: IdentityEvent.LoginSucceeded, data }];
    }
    const windowStart = now.getTime() - policy.windowSeconds * 1000;
    const recentFailures = state.failures.filter((at) => at > windowStart).length + 1;
    if (recentFailures < policy.threshold) return [failed(userId, 'wrong_password')];
    const lockNumber = state.locks.filter((at) => at > now.getTime() - LOCK_MEMORY_MS).length + 1;
    const until = new Date(now.getTime() + lockDurationSeconds(lockNumber, policy) * 1000).toISOString();
    return [
      failed(userId, 'wrong_password'),
      { type: IdentityEvent.AccountLocked, data: { userId, until, failures: recentFailures, lockNumber } },
    ];
  },
};

function failed(userId: string | null, reason: LoginFailedData['reason']): LoginFailed {
  return { type: IdentityEvent.LoginFailed, data: { userId, reason } };
}
