import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import { BackgroundWorkLease, ReadDocument, ReadStore, Reactor } from '@app/read-models';
import { STORAGE_OPTIONS, StorageOptions } from '@app/read-models/storage/storage-options';
import {
  IdentityEvent,
  reaction,
  streams,
  type ChallengeClosedReason,
  type EventMetadata,
  type RecordedIdentityEvent,
} from '@app/identity-events';
import { challengeDecider } from '../second-factor/challenge.decider';
import { CommandExecutor } from '../shared/command-executor';

/** The sign-in challenges still open, per user: a plain collection of this reactor, kept across rebuilds. */
export const OPEN_CHALLENGES = 'open_challenges';

interface OpenChallengeDocument extends ReadDocument {
  userId: string;
  expiresAt: string;
}

/**
 * Closes a user's open sign-in challenges, as events, when an admin locks the account or resets its
 * MFA, or the password changes. Answering a challenge re-checks the account anyway (the refusal
 * does not wait for this); the event makes the closing part of the audit trail. It follows the log
 * in order, so the challenges it knows at a lock are exactly those issued before it.
 */
@Injectable()
export class ClosingChallengesReactor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClosingChallengesReactor.name);
  private readonly reactor: Reactor;
  /** The lease's store: its commits are refused once another process holds the lease. */
  private readonly readStore: ReadStore;

  constructor(
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    events: EventStore,
    private readonly lease: BackgroundWorkLease,
    private readonly executor: CommandExecutor,
  ) {
    this.readStore = lease.readStore;
    this.reactor = new Reactor(
      'closing-challenges',
      events,
      this.readStore,
      Object.fromEntries([
        reaction(IdentityEvent.ChallengeIssued, (event) => this.opened(event)),
        reaction(IdentityEvent.ChallengeCompleted, (event) => this.forget([event.data.challengeId])),
        reaction(IdentityEvent.ChallengeClosed, (event) => this.forget([event.data.challengeId])),
        reaction(IdentityEvent.AccountLockedByAdmin, (event) => this.closeAll(event, 'account_locked')),
        reaction(IdentityEvent.MfaResetByAdmin, (event) => this.closeAll(event, 'mfa_reset')),
        reaction(IdentityEvent.PasswordChanged, (event) => this.closeAll(event, 'password_changed')),
      ]),
      { log: (level, message) => this.logger[level](message) },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.runProjector) return;
    await this.readStore.ensureCollection(OPEN_CHALLENGES, [{ fields: ['userId'] }]);
    await this.lease.add({
      name: 'closing challenges',
      start: () => this.reactor.start(),
      stop: () => this.reactor.stop(),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reactor.stop();
  }

  private async opened(event: RecordedIdentityEvent<'ChallengeIssued'>): Promise<void> {
    const { challengeId, userId, expiresAt } = event.data;
    const issuedAt = event.metadata.occurredAt ?? event.recordedAt;
    // Abandoned challenges of this user that expired meanwhile are dropped here.
    const expired = await this.readStore.find<OpenChallengeDocument>(OPEN_CHALLENGES, {
      where: { userId: { eq: userId }, expiresAt: { lte: issuedAt } },
    });
    const document: OpenChallengeDocument = { id: challengeId, _position: event.position, userId, expiresAt };
    await this.readStore.commit({
      checkpoints: {},
      changes: [
        ...expired.map((old) => ({ collection: OPEN_CHALLENGES, id: old.id, document: null })),
        { collection: OPEN_CHALLENGES, id: challengeId, document },
      ],
    });
  }

  /** The account changes that end every second step opened before them. */
  private async closeAll(
    event: RecordedIdentityEvent<'AccountLockedByAdmin' | 'MfaResetByAdmin' | 'PasswordChanged'>,
    reason: ChallengeClosedReason,
  ): Promise<void> {
    const userId = event.data.userId;
    const open = await this.readStore.find<OpenChallengeDocument>(OPEN_CHALLENGES, {
      where: { userId: { eq: userId } },
    });
    // The closing happens with the change: its time, actor and correlation, caused by its event.
    const cause = event.metadata;
    const metadata: EventMetadata = { ...cause, causationId: event.id };
    const now = new Date(cause.occurredAt ?? event.recordedAt);
    for (const challenge of open) {
      await this.executor.execute(
        streams.challenge(challenge.id),
        challengeDecider,
        { kind: 'close', reason, now },
        metadata,
      );
    }
    await this.forget(open.map((challenge) => challenge.id)); // closed now, or already finished or expired
  }

  private async forget(challengeIds: string[]): Promise<void> {
    if (challengeIds.length === 0) return;
    await this.readStore.commit({
      checkpoints: {},
      changes: challengeIds.map((id) => ({ collection: OPEN_CHALLENGES, id, document: null })),
    });
  }
}
