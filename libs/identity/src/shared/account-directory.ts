import { Injectable } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import { IdentityEvent, isEventOf, streams } from '@app/identity-events';
import { CredentialsState, credentialsDecider } from '../changing-password/credentials.decider';
import { emailClaimDecider, emailDigest, normalizeEmail } from '../registering-user/email-claim.decider';
import { CommandExecutor } from './command-executor';

const ABANDONED_CLAIM_AFTER_MS = 60_000;

/** Finds accounts in the event log itself (not a read model), so a fresh sign-up can sign in at once. */
@Injectable()
export class AccountDirectory {
  constructor(
    private readonly events: EventStore,
    private readonly executor: CommandExecutor,
  ) {}

  /** The account holding the address (by its digest), or null. */
  async findByEmailDigest(digest: string): Promise<CredentialsState | null> {
    const { claimedBy } = await this.executor.load(streams.emailGuard(digest), emailClaimDecider);
    if (!claimedBy) return null;
    const account = await this.credentials(claimedBy);
    // An account that moved to another address no longer answers to this one (even before the release).
    return account?.email && emailDigest(normalizeEmail(account.email)) === digest ? account : null;
  }

  /**
   * Sign-up appends the claim, then the user: a claim whose user stream is still empty a minute
   * later was left by a crash, and may be taken over (so a crash never locks an address forever).
   */
  async isClaimAbandoned(guard: string, now: string): Promise<boolean> {
    const claims = await this.events.readStream(guard);
    const last = claims.filter((event) => isEventOf(event, IdentityEvent.EmailClaimed)).pop();
    if (!last) return false;
    const claimedAt = Date.parse(last.metadata.occurredAt ?? last.recordedAt);
    if (Date.parse(now) - claimedAt < ABANDONED_CLAIM_AFTER_MS) return false;
    const user = await this.events.readStream(streams.user(last.data.userId), { maxCount: 1 });
    return user.length === 0;
  }

  /** The password state of a user, or null when there is no such user. */
  async credentials(userId: string): Promise<CredentialsState | null> {
    const state = await this.executor.load(streams.user(userId), credentialsDecider);
    return state.userId === null ? null : state; // null: a claim whose sign-up never finished
  }
}
