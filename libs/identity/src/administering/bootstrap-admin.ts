import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EventStore } from '@app/event-store';
import { ProjectionProgress, ReadStore, usersProjection } from '@app/read-models';
import { APP_CONFIG, AppConfig, Clock, DomainError, systemContext } from '@app/platform';
import { eventMetadata } from '../events/event-metadata';
import { streams, type Role } from '../events/identity-events';
import { emailDigest, normalizeEmail } from '../registering-user/email-claim.decider';
import { RegisterUserCommand } from '../registering-user/register-user.command';
import { AccountDirectory } from '../shared/account-directory';
import { CommandExecutor } from '../shared/command-executor';
import { adminDecider } from './admin.decider';

/** At start-up, BOOTSTRAP_ADMIN_EMAIL/PASSWORD become the first admin when no admin exists. */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdmin.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly commands: CommandBus,
    private readonly accounts: AccountDirectory,
    private readonly executor: CommandExecutor,
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly progress: ProjectionProgress,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const bootstrap = this.config.bootstrapAdmin;
    if (!bootstrap) return;
    try {
      // Decide on caught-up read models, or not at all (another replica or a later start will).
      if (!(await this.progress.waitFor(await this.events.headPosition(), 30_000))) return;
      if ((await this.readStore.count(usersProjection.collection, { isAdmin: { eq: true } })) > 0) return;
      const context = systemContext(`bootstrap-${randomUUID()}`);
      const account = await this.accounts.findByEmailDigest(emailDigest(normalizeEmail(bootstrap.email)));
      if (!account?.userId) {
        await this.commands.execute(new RegisterUserCommand(bootstrap.email, bootstrap.password, context, ['admin']));
      } else {
        await this.grantAdmin(account.userId, context);
      }
      this.logger.log(`Made ${bootstrap.email} the first administrator (BOOTSTRAP_ADMIN_EMAIL)`);
    } catch (error) {
      const reason = error instanceof DomainError ? `${error.code}: ${error.message}` : String(error);
      this.logger.error(`Could not create the bootstrap administrator: ${reason}`);
    }
  }

  async grantAdmin(userId: string, context = systemContext(`grant-${randomUUID()}`)): Promise<void> {
    const state = await this.executor.load(streams.user(userId), adminDecider);
    const roles = [...new Set([...state.roles, 'admin'])] as Role[];
    await this.executor.execute(streams.user(userId), adminDecider, { kind: 'set_roles', roles }, eventMetadata(context, this.clock.now()));
  }
}
