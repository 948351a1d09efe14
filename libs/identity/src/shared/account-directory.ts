import { Injectable } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import { IdentityEvent, streams } from '../events/identity-events';
import { CredentialsState, credentialsDecider } from '../changing-password/credentials.decider';
import { CommandExecutor } from './command-executor';

/** Finds accounts in the event log itself (not a read model), so a fresh sign-up can sign in at once. */
@Injectable()
export class AccountDirectory {
  constructor(
    private readonly events: EventStore,
    private readonly executor: CommandExecutor,
  ) {}

  /** The account holding the address (by its digest), or null. */
  async findByEmailDigest(digest: string): Promise<CredentialsState | null> {
    const claims = await this.events.readStream(streams.emailGuard(digest));
    const claim = claims.filter((e) => e.type === IdentityEvent.EmailClaimed).pop();
    if (!claim) return null;
    return this.credentials((claim.data as { userId: string }).userId);
  }

  /** The password state of a user, or null when there is no such user. */
  async credentials(userId: string): Promise<CredentialsState | null> {
    const state = await this.executor.load(streams.user(userId), credentialsDecider);
    return state.userId === null ? null : state; // null: a claim whose sign-up never finished
  }
}
