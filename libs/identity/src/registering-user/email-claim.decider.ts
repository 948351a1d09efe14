import { DomainError } from '@app/platform';
import { DomainEvent, IdentityEvent } from '@app/identity-events';
import { Decider } from '../shared/decider';

/** Addresses are unique whatever their letter case: the guard keys on this form. */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

export class EmailTakenError extends DomainError {
  constructor() {
    super('email_taken', 'An account with this email address already exists.');
  }
}

/**
 * Sign-up appends the claim, then the user: a claim whose user stream is still empty a minute
 * later was left by a crash, and may be taken over (so a crash never locks an address forever).
 */
export const ABANDONED_CLAIM_AFTER_MS = 60_000;

export interface ClaimEmail {
  userId: string;
  now: Date;
  /** Whether the current claimant's account exists (read from its user stream). */
  claimantRegistered: boolean;
}

/** The account moved to another address: this one is free again. */
export interface ReleaseEmail {
  release: true;
  userId: string;
}

export interface EmailClaimState {
  claimedBy: string | null;
  /** When the current claim was made (ms), null when there is none. */
  claimedAt: number | null;
}

/** The uniqueness guard of an email address: one claim, appended with "no stream" expected. */
export const emailClaimDecider: Decider<ClaimEmail | ReleaseEmail, EmailClaimState, DomainEvent> = {
  initialState: () => ({ claimedBy: null, claimedAt: null }),
  evolve: (state, event) => {
    if (event.type === IdentityEvent.EmailClaimed)
      return { claimedBy: event.data.userId, claimedAt: event.occurredAt ? Date.parse(event.occurredAt) : 0 };
    if (event.type === IdentityEvent.EmailReleased) return { claimedBy: null, claimedAt: null };
    return state;
  },
  decide: (command, state) => {
    if ('release' in command) {
      // Only the holder releases, once.
      return state.claimedBy === command.userId
        ? [{ type: IdentityEvent.EmailReleased, data: { userId: command.userId } }]
        : [];
    }
    if (state.claimedBy === command.userId) return []; // claimed already by this account: a retry
    const abandoned =
      !command.claimantRegistered &&
      state.claimedAt !== null &&
      command.now.getTime() - state.claimedAt >= ABANDONED_CLAIM_AFTER_MS;
    if (state.claimedBy !== null && !abandoned) throw new EmailTakenError();
    return [{ type: IdentityEvent.EmailClaimed, data: { userId: command.userId } }];
  },
};
