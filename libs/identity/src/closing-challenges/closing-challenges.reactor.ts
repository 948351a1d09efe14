import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventStore, RecordedEvent } from '@app/event-store';
import { ReadDocument, ReadStore, Reactor } from '@app/read-models';
import { STORAGE_OPTIONS, StorageOptions } from '@app/read-models/storage/storage-options';
import { EventMetadata } from '@app/identity-events';
import { IdentityEvent, streams, type ChallengeClosedReason, type ChallengeIssuedData } from '@app/identity-events';
import { challengeDecider } from '../second-factor/challenge.decider';
import { CommandExecutor } from '../shared/command-executor';

/** The sign-in challenges still open, per user: a plain collection of this reactor, kept across rebuilds. */
export const OPEN_CHALLENGES = 'open_challenges';

interface OpenChallengeDocument extends ReadDocument {
  userId: string;
  expiresAt: string;
}

/** The account changes that end every second step opened before them. */
const CLOSING_EVENTS: Record<string, ChallengeClosedReason> = {
  [IdentityEvent.AccountLockedByAdmin]: 'account_locked',
  [IdentityEvent.MfaResetByAdmin]: 'mfa_reset',
  [IdentityEvent.PasswordChanged]: 'password_changed',
};

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

  constructor(
    @Inject(STORAGE_OPTIONS) private readonly options: StorageOptions,
    events: EventStore,
    private readonly readStore: ReadStore,
    private readonly executor: CommandExecutor,
  ) {
    const closeAll = Object.fromEntries(Object.entries(CLOSING_EVENTS).map(([type, reason]) => [type, (event: RecordedEvent) => this.closeAll(event, reason)]));
    this.reactor = new Reactor(
      'closing-challenges',
      events,
      readStore,
      {
        [IdentityEvent.ChallengeIssued]: (event) => this.opened(event),
        [IdentityEvent.ChallengeCompleted]: (event) => this.forget([(event.data as { challengeId: string }).challengeId]),
        [IdentityEvent.ChallengeClosed]: (event) => this.forget([(event.data as { challengeId: string }).challengeId]),
        ...closeAll,
      },
      { log: (level, message) => this.logger[level](message) },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.runProjector) return;
    await this.readStore.ensureCollection(OPEN_CHALLENGES, [{ fields: ['userId'] }]);
    await this.reactor.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reactor.stop();
  }

  private async opened(event: RecordedEvent): Promise<void> {
    const { challengeId, userId, expiresAt } = event.data as unknown as ChallengeIssuedData;
    const issuedAt = (event.metadata as { occurredAt?: string }).occurredAt ?? event.recordedAt;
    // Abandoned challenges of this user that expired meanwhile are dropped here.
    const expired = await this.readStore.find<OpenChallengeDocument>(OPEN_CHALLENGES, { where: { userId: { eq: userId }, expiresAt: { lte: issuedAt } } });
    const document: OpenChallengeDocument = { id: challengeId, _position: event.position, userId, expiresAt };
    await this.readStore.commit({
      checkpoints: {},
      changes: [...expired.map((old) => ({ collection: OPEN_CHALLENGES, id: old.id, document: null })), { collection: OPEN_CHALLENGES, id: challengeId, document }],
    });
  }

  private async closeAll(event: RecordedEvent, reason: ChallengeClosedReason): Promise<void> {
    const userId = (event.data as { userId: string }).userId;
    const open = await this.readStore.find<OpenChallengeDocument>(OPEN_CHALLENGES, { where: { userId: { eq: userId } } });
    // The closing happens with the change: its time, actor and correlation, caused by its event.
    const cause = event.metadata as unknown as EventMetadata;
    const metadata: EventMetadata = { ...cause, causationId: event.id };
    const now = new Date(cause.occurredAt ?? event.recordedAt);
    for (const challenge of open) {
      await this.executor.execute(streams.challenge(challenge.id), challengeDecider, { kind: 'close', reason, now }, metadata);
    }
    await this.forget(open.map((challenge) => challenge.id)); // closed now, or already finished or expired
  }

  private async forget(challengeIds: string[]): Promise<void> {
    if (challengeIds.length === 0) return;
    await this.readStore.commit({ checkpoints: {}, changes: challengeIds.map((id) => ({ collection: OPEN_CHALLENGES, id, document: null })) });
  }
}
