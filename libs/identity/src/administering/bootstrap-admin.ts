import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventStore } from '@app/event-store';
import { ProjectionProgress, ReadStore, usersProjection } from '@app/read-models';
import { APP_CONFIG, AppConfig, Clock, ConfigError, DomainError, systemContext } from '@app/platform';
import { PasswordHasher, PasswordPolicy } from '@app/security';
import { eventMetadata, streams, type Role } from '@app/identity-events';
import { RegisterUserCommand } from '../registering-user/register-user.command';
import { RegisterUserHandler } from '../registering-user/register-user.handler';
import { AccountDirectory } from '../shared/account-directory';
import { CommandExecutor } from '../shared/command-executor';
import { adminDecider } from './admin.decider';

/**
 * At start-up, BOOTSTRAP_ADMIN_EMAIL/PASSWORD become the first admin when no admin exists. An
 * existing account with that address is promoted only when the bootstrap password is its
 * password: otherwise whoever registered the address first would become admin. A configuration
 * that cannot be honoured (a password the policy refuses, an address held by someone else) stops
 * the start with a ConfigError (exit code 78), never a logged line the operator may miss.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdmin.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registrations: RegisterUserHandler,
    private readonly accounts: AccountDirectory,
    private readonly executor: CommandExecutor,
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly progress: ProjectionProgress,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const bootstrap = this.config.bootstrapAdmin;
    if (!bootstrap) return;
    // Checked on every start, admin or not: a weak bootstrap password is a mistake to fix now.
    const reasons = this.policy.check(bootstrap.password, { email: bootstrap.email });
    if (reasons.length > 0) {
      throw new ConfigError([`BOOTSTRAP_ADMIN_PASSWORD is not accepted by the password policy: ${reasons.join(', ')}`]);
    }
    // Decide on caught-up read models, or not at all (another replica or a later start will).
    if (!(await this.progress.waitFor(await this.events.headPosition(), 30_000))) {
      this.logger.warn('Read models are behind: the bootstrap administrator is checked on the next start');
      return;
    }
    if ((await this.readStore.count(usersProjection.collection, { isAdmin: { eq: true } })) > 0) return;
    const context = systemContext(`bootstrap-${randomUUID()}`);
    const account = await this.accounts.findByEmail(bootstrap.email);
    if (!account?.userId) {
      try {
        await this.registrations.execute(
          new RegisterUserCommand(bootstrap.email, bootstrap.password, context, ['admin']),
        );
      } catch (error) {
        if (error instanceof DomainError)
          throw new ConfigError([`BOOTSTRAP_ADMIN_EMAIL could not be registered: ${error.code}: ${error.message}`]);
        throw error;
      }
    } else if (account.passwordHash && (await this.hasher.verify(account.passwordHash, bootstrap.password))) {
      await this.grantAdmin(account.userId, context);
    } else {
      throw new ConfigError([
        'BOOTSTRAP_ADMIN_EMAIL belongs to an existing account whose password is not BOOTSTRAP_ADMIN_PASSWORD: it is not made admin ' +
          "(whoever registered the address would be). Use that account's password, another address, or `npm run cli -- grant-role`.",
      ]);
    }
    this.logger.log(`Made ${bootstrap.email} the first administrator (BOOTSTRAP_ADMIN_EMAIL)`);
  }

  async grantAdmin(userId: string, context = systemContext(`grant-${randomUUID()}`)): Promise<void> {
    const state = await this.executor.load(streams.user(userId), adminDecider);
    const roles = [...new Set([...state.roles, 'admin'])] as Role[];
    await this.executor.execute(
      streams.user(userId),
      adminDecider,
      { kind: 'set_roles', roles, by: 'operator' },
      eventMetadata(context, this.clock.now()),
    );
  }
}
