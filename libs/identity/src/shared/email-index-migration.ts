import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventStore, START, type Position } from '@app/event-store';
import { eventMetadata, IdentityEvent, isIdentityEvent, streams } from '@app/identity-events';
import { Clock, systemContext } from '@app/platform';
import { ReadStore } from '@app/read-models';
import { EmailTakenError, emailClaimDecider } from '../registering-user/email-claim.decider';
import { CommandExecutor } from './command-executor';
import { EmailIndex } from './email-index';

const MIGRATIONS = 'migrations';
const MIGRATION_ID = 'email-index-v1';
const PAGE = 1000;

/**
 * Streams named by an address used its plain SHA-256 before the keyed index (EmailIndex). On the
 * first start of this version, every account's current address is claimed under its keyed name,
 * read from the log (not a read model, which may be behind), before the service answers: without
 * it an existing account would not sign in and its address could be taken again. Idempotent (a
 * claim by the same account changes nothing), recorded as done in the read store. The old claim
 * streams stay as history; failed-attempt counts and automatic locks start afresh.
 */
@Injectable()
export class EmailIndexMigration implements OnModuleInit {
  private readonly logger = new Logger(EmailIndexMigration.name);

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly executor: CommandExecutor,
    private readonly index: EmailIndex,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.readStore.ensureCollection(MIGRATIONS, []);
    if (await this.readStore.get(MIGRATIONS, MIGRATION_ID)) return;
    const addresses = await this.currentAddresses();
    const metadata = eventMetadata(systemContext(`migration-${MIGRATION_ID}-${randomUUID()}`), this.clock.now());
    let claimed = 0;
    for (const [userId, emailNormalized] of addresses) {
      const guard = streams.emailGuard(this.index.digestOf(emailNormalized));
      try {
        const { appended } = await this.executor.execute(
          guard,
          emailClaimDecider,
          { userId, now: this.clock.now(), claimantRegistered: true },
          metadata,
        );
        if (appended) claimed += 1;
      } catch (error) {
        if (!(error instanceof EmailTakenError)) throw error;
        this.logger.warn(`Account ${userId}: its address is claimed by another account under the keyed index`);
      }
    }
    if (claimed > 0) this.logger.log(`Claimed ${claimed} addresses under the keyed email index (${MIGRATION_ID})`);
    await this.readStore.commit({
      checkpoints: {},
      changes: [
        {
          collection: MIGRATIONS,
          id: MIGRATION_ID,
          document: { id: MIGRATION_ID, _position: '', doneAt: this.clock.now().toISOString(), claimed },
        },
      ],
    });
  }

  /** Each account's address now, folded from the whole log (erased accounts have none). */
  private async currentAddresses(): Promise<Map<string, string>> {
    const addresses = new Map<string, string>();
    let after: Position = START;
    for (;;) {
      const page = await this.events.readAll({ after, maxCount: PAGE });
      for (const event of page) {
        if (!isIdentityEvent(event)) continue;
        if (event.type === IdentityEvent.UserRegistered && event.data.emailNormalized)
          addresses.set(event.data.userId, event.data.emailNormalized);
        else if (event.type === IdentityEvent.EmailChanged && event.data.newEmailNormalized)
          addresses.set(event.data.userId, event.data.newEmailNormalized);
        else if (event.type === IdentityEvent.PersonalDataErased) addresses.delete(event.data.userId);
      }
      if (page.length < PAGE) return addresses;
      after = page[page.length - 1].position;
    }
  }
}
