import { createHash } from 'node:crypto';
import { DomainError } from '@app/platform';
import { DomainEvent, EmailClaimed, IdentityEvent } from '../events/identity-events';
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

export interface EmailClaimState {
  claimedBy: string | null;
}

/** The uniqueness guard of an email address: one claim, appended with "no stream" expected. */
export const emailClaimDecider: Decider<ClaimEmail, EmailClaimState, EmailClaimed> = {
  initialState: () => ({ claimedBy: null }),
  evolve: (state, event: DomainEvent) =>
    event.type === IdentityEvent.EmailClaimed ? { claimedBy: (event.data as { userId: string }).userId } : state,
  decide: (command, state) => {
    if (state.claimedBy !== null && !command.currentClaimAbandoned) throw new EmailTakenError();
    return [{ type: IdentityEvent.EmailClaimed, data: { userId: command.userId } }];
  },
};
