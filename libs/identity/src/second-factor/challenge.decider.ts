import { DomainError } from '@app/platform';
import { DomainEvent, IdentityEvent, type ChallengeClosedReason, type ChallengeIssuedData } from '@app/identity-events';
import { Decider } from '../shared/decider';

export const CHALLENGE_MAX_FAILURES = 5;

export type ChallengeMethod = ChallengeIssuedData['methods'][number];

export type ChallengeCommand =
  | { kind: 'issue'; challenge: ChallengeIssuedData }
  | { kind: 'send_email_code'; codeId: string; codeHash: string; expiresAt: Date; now: Date; cooldownMs: number }
  | { kind: 'record'; method: ChallengeMethod; succeeded: boolean; sessionId: string }
  /** The account changed after the password step (lock, MFA reset, password change). */
  | { kind: 'close'; reason: ChallengeClosedReason; now: Date };

export interface ChallengeState {
  challenge: ChallengeIssuedData | null;
  /** When it was issued (ms): what the account looked like then is what the password proved. */
  issuedAt: number;
  failures: number;
  completed: boolean;
  closed: boolean;
  emailCode: { codeId: string; codeHash: string; sentAt: number; expiresAt: number } | null;
}

/** Whether a code may still be tried on this challenge at `now` (not expired, not dead, not done). */
export function isOpen(state: ChallengeState, now: Date): boolean {
  return (
    state.challenge !== null &&
    !state.completed &&
    !state.closed &&
    state.failures < CHALLENGE_MAX_FAILURES &&
    Date.parse(state.challenge.expiresAt) > now.getTime()
  );
}

/** The second step of one sign-in: lives 5 minutes, dies after 5 wrong codes, completes once. */
export const challengeDecider: Decider<ChallengeCommand, ChallengeState, DomainEvent> = {
  initialState: () => ({ challenge: null, issuedAt: 0, failures: 0, completed: false, closed: false, emailCode: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case IdentityEvent.ChallengeIssued:
        return { ...state, challenge: event.data, issuedAt: event.occurredAt ? Date.parse(event.occurredAt) : 0 };
      case IdentityEvent.ChallengeEmailCodeSent:
        return {
          ...state,
          emailCode: {
            codeId: event.data.codeId,
            codeHash: event.data.codeHash,
            sentAt: event.occurredAt ? Date.parse(event.occurredAt) : 0,
            expiresAt: Date.parse(event.data.expiresAt),
          },
        };
      case IdentityEvent.ChallengeFailed:
        return { ...state, failures: state.failures + 1 };
      case IdentityEvent.ChallengeCompleted:
        return { ...state, completed: true };
      case IdentityEvent.ChallengeClosed:
        return { ...state, closed: true };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    if (command.kind === 'issue') {
      if (state.challenge) throw new DomainError('conflict', 'This challenge exists already.');
      return [{ type: IdentityEvent.ChallengeIssued, data: command.challenge }];
    }
    const challenge = state.challenge;
    if (!challenge) throw new DomainError('not_found', 'No such challenge.');
    if (command.kind === 'close') {
      // Only an open challenge is closed: a finished or expired one needs no event.
      if (!isOpen(state, command.now)) return [];
      return [
        {
          type: IdentityEvent.ChallengeClosed,
          data: { challengeId: challenge.challengeId, userId: challenge.userId, reason: command.reason },
        },
      ];
    }
    if (command.kind === 'send_email_code') {
      if (!isOpen(state, command.now) || !challenge.methods.includes('email')) {
        throw new DomainError('code_invalid', 'This sign-in has expired or does not offer email codes; sign in again.');
      }
      const wait = state.emailCode ? state.emailCode.sentAt + command.cooldownMs - command.now.getTime() : 0;
      if (wait > 0)
        throw Object.assign(
          new DomainError('rate_limited', `Wait ${Math.ceil(wait / 1000)} s before asking for a new code.`),
          { retryAfterSeconds: Math.ceil(wait / 1000) },
        );
      return [
        {
          type: IdentityEvent.ChallengeEmailCodeSent,
          data: {
            challengeId: challenge.challengeId,
            userId: challenge.userId,
            codeId: command.codeId,
            codeHash: command.codeHash,
            expiresAt: command.expiresAt.toISOString(),
          },
        },
      ];
    }
    const base = { challengeId: challenge.challengeId, userId: challenge.userId, method: command.method };
    return command.succeeded
      ? [{ type: IdentityEvent.ChallengeCompleted, data: { ...base, sessionId: command.sessionId } }]
      : [{ type: IdentityEvent.ChallengeFailed, data: base }];
  },
};
