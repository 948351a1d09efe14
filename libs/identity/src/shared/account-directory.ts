import { Injectable } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import { streams } from '@app/identity-events';
import { CredentialsState, credentialsDecider } from '../changing-password/credentials.decider';
import { emailClaimDecider, normalizeEmail } from '../registering-user/email-claim.decider';
import { EmailIndex } from './email-index';
import { CommandExecutor } from './command-executor';

/** Finds accounts in the event log itself (not a read model), so a fresh sign-up can sign in at once. */
@Injectable()
export class AccountDirectory {
  constructor(
    private readonly events: EventStore,
    private readonly executor: CommandExecutor,
    private readonly index: EmailIndex,
  ) {}

  /** The account holding the address as typed, or null. */
  findByEmail(email: string): Promise<CredentialsState | null> {
    return this.findByEmailDigest(this.index.digestOf(normalizeEmail(email)));
  }

  /** The account holding the address (by its index, see EmailIndex), or null. */
  async findByEmailDigest(digest: string): Promise<CredentialsState | null> {
    const { claimedBy } = await this.executor.load(streams.emailGuard(digest), emailClaimDecider);
    if (!claimedBy) return null;
    const account = await this.credentials(claimedBy);
    // An account that moved to another address no longer answers to this one (even before the release).
    return account?.email && this.index.digestOf(normalizeEmail(account.email)) === digest ? account : null;
  }

  /** Whether the account that claims the address exists (a claim without one was left by a crash). */
  async claimantRegistered(guard: string): Promise<boolean> {
    const { claimedBy } = await this.executor.load(guard, emailClaimDecider);
    if (!claimedBy) return false;
    return (await this.events.readStream(streams.user(claimedBy), { maxCount: 1 })).length > 0;
  }

  /** The password state of a user, or null when there is no such user. */
  async credentials(userId: string): Promise<CredentialsState | null> {
    const state = await this.executor.load(streams.user(userId), credentialsDecider);
    return state.userId === null ? null : state; // null: a claim whose sign-up never finished
  }
}
