import { DomainError } from '@app/platform';
import {
  DomainEvent,
  IdentityEvent,
  type PasswordResetCompletedData,
  type PasswordResetRequestedData,
} from '@app/identity-events';
import { Decider, HistoryEvent } from '../shared/decider';

export const RESET_TOKEN_TTL_MS = 30 * 60_000;
/** A new link is mailed at most once a minute per account, whatever is asked for. */
export const RESET_RESEND_COOLDOWN_MS = 60_000;

export type PasswordResetCommand =
  | { kind: 'request'; tokenHash: string; now: Date }
  | {
      kind: 'complete';
      tokenHash: string;
      newPasswordHash: string;
      secondFactor: PasswordResetCompletedData['secondFactor'];
      now: Date;
    };

export interface PasswordResetState {
  userId: string | null;
  /** The latest link (only the latest works); null once used, or after the password changed. */
  link: { tokenHash: string; expiresAt: number } | null;
  lastRequestedAt: number | null;
}

const at = (event: HistoryEvent) => (event.occurredAt ? Date.parse(event.occurredAt) : 0);

export class ResetTokenInvalidError extends DomainError {
  constructor() {
    super(
      'token_invalid',
      'This reset link is not valid: it may have expired or been used already. Ask for a new one.',
    );
  }
}

/** Whether this token is the account's live reset link at `now`. */
export function isLiveLink(state: PasswordResetState, tokenHash: string, now: Date): boolean {
  return state.link !== null && state.link.tokenHash === tokenHash && state.link.expiresAt > now.getTime();
}

/**
 * "Forgot password", folded from user-{id}: one live link per account (30 minutes, single use,
 * dead once the password changes by any way), at most one mail a minute.
 */
export const passwordResetDecider: Decider<PasswordResetCommand, PasswordResetState, DomainEvent> = {
  initialState: () => ({ userId: null, link: null, lastRequestedAt: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case IdentityEvent.UserRegistered:
        return { ...state, userId: event.data.userId };
      case IdentityEvent.PasswordResetRequested: {
        const data = event.data;
        return {
          ...state,
          link: { tokenHash: data.tokenHash, expiresAt: Date.parse(data.expiresAt) },
          lastRequestedAt: at(event),
        };
      }
      case IdentityEvent.PasswordChanged:
      case IdentityEvent.PasswordResetCompleted:
        return { ...state, link: null };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    const userId = state.userId;
    if (userId === null) throw new DomainError('not_found', 'No such user.');
    if (command.kind === 'request') {
      const now = command.now.getTime();
      if (state.lastRequestedAt !== null && now - state.lastRequestedAt < RESET_RESEND_COOLDOWN_MS) return [];
      const data: PasswordResetRequestedData = {
        userId,
        tokenHash: command.tokenHash,
        expiresAt: new Date(now + RESET_TOKEN_TTL_MS).toISOString(),
      };
      return [{ type: IdentityEvent.PasswordResetRequested, data }];
    }
    if (!isLiveLink(state, command.tokenHash, command.now)) throw new ResetTokenInvalidError();
    const completed: PasswordResetCompletedData = { userId, secondFactor: command.secondFactor };
    return [
      { type: IdentityEvent.PasswordResetCompleted, data: completed },
      {
        type: IdentityEvent.PasswordChanged,
        data: { userId, passwordHash: command.newPasswordHash, sessionId: null, via: 'reset' },
      },
    ];
  },
};
