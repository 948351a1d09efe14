import { createHash } from 'node:crypto';
import { DomainError } from '@app/platform';
import { DomainEvent, IdentityEvent } from '@app/identity-events';
import { Decider } from '../shared/decider';

/** Addresses are unique whatever their letter case: the guard keys on this form. */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

export function emailDigest(normalizedEmail: string): string {
  return createHash('sha256').update(normalizedEmail).digest('hex');
}

export class EmailTakenError extends DomainError {
  constructor() {
    super('email_taken', 'An account with this email address already exists.');
  }
}

export interface ClaimEmail {
  userId: string;
  /**
   * True when the current claim belongs to a sign-up that never registered its user (the process
   * died between the two appends) and is old enough to be abandoned: it may then be taken over.
   */
  currentClaimAbandoned: boolean;
}

/** The account moved to another address: this one is free again. */
export interface ReleaseEmail {
  release: true;
  userId: string;
}

export interface EmailClaimState {
  claimedBy: string | null;
}

/** The uniqueness guard of an email address: one claim, appended with "no stream" expected. */
export const emailClaimDecider: Decider<ClaimEmail | ReleaseEmail, EmailClaimState, DomainEvent> = {
  initialState: () => ({ claimedBy: null }),
  evolve: (state, event: DomainEvent) => {
    if (event.type === IdentityEvent.EmailClaimed) return { claimedBy: event.data.userId };
    if (event.type === IdentityEvent.EmailReleased) return { claimedBy: null };
    return state;
  },
  decide: (command, state) => {
    if ('release' in command) {
      // Only the holder releases, once.
      return state.claimedBy === command.userId ? [{ type: IdentityEvent.EmailReleased, data: { userId: command.userId } }] : [];
    }
    if (state.claimedBy === command.userId) return []; // claimed already by this account: a retry
    if (state.claimedBy !== null && !command.currentClaimAbandoned) throw new EmailTakenError();
    return [{ type: IdentityEvent.EmailClaimed, data: { userId: command.userId } }];
  },
};
