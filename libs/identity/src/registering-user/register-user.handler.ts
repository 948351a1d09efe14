import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig, Clock, DomainError, IdGenerator, Throttle, Throttles, ValidationFailedError } from '@app/platform';
import { clientKey, EMAIL_ADDRESS_PROBLEMS, emailAddressProblem, PASSWORD_POLICY_MESSAGES, PasswordHasher, PasswordPolicy } from '@app/security';
import { eventMetadata } from '../events/event-metadata';
import { streams } from '../events/identity-events';
import { AccountDirectory } from '../shared/account-directory';
import { CommandExecutor } from '../shared/command-executor';
import { RateLimitedError } from '../shared/rate-limited.error';
import { ReadYourWrites } from '../shared/read-your-writes';
import { emailClaimDecider, emailDigest, normalizeEmail } from './email-claim.decider';
import { RegisterUserCommand } from './register-user.command';
import { registrationDecider } from './registration.decider';

export class PasswordPolicyError extends DomainError {
  constructor(reasons: (keyof typeof PASSWORD_POLICY_MESSAGES)[]) {
    super('password_policy', reasons.map((r) => PASSWORD_POLICY_MESSAGES[r]).join(' '), {
      reasons: reasons.map((code) => ({ code, message: PASSWORD_POLICY_MESSAGES[code] })),
    });
  }
}

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand, { userId: string }> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly accounts: AccountDirectory,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(APP_CONFIG) config: AppConfig,
    throttles: Throttles,
  ) {
    this.perIp = throttles.create({ name: 'signup_ip', points: config.signUpRateLimit.perIpPerHour, durationSeconds: 3600 });
  }

  /** Sign-ups per client address, shared by every API process; the shell and bootstrap are not counted. */
  private readonly perIp: Throttle;

  async execute(command: RegisterUserCommand): Promise<{ userId: string }> {
    if (command.context.actor.type !== 'system') {
      const rate = await this.perIp.consume(clientKey(command.context.ip));
      if (!rate.allowed) throw new RateLimitedError(rate.retryAfterSeconds);
    }
    const email = command.email.trim();
    // Also for the shell and the bootstrap admin, which do not pass through the HTTP validation.
    const addressProblem = emailAddressProblem(email);
    if (addressProblem) throw new ValidationFailedError([{ field: 'email', message: EMAIL_ADDRESS_PROBLEMS[addressProblem] }]);
    const reasons = this.policy.check(command.password, { email });
    if (reasons.length > 0) throw new PasswordPolicyError(reasons);

    const emailNormalized = normalizeEmail(email);
    // Hash before the uniqueness check, so "taken" costs the same time as a sign-up.
    const passwordHash = await this.hasher.hash(command.password);
    const userId = this.ids.newId();
    const metadata = eventMetadata(command.context, this.clock.now());
    const guard = streams.emailGuard(emailDigest(emailNormalized));

    await this.executor.execute(
      guard,
      emailClaimDecider,
      { userId, currentClaimAbandoned: await this.accounts.isClaimAbandoned(guard, metadata.occurredAt) },
      metadata,
    );
    const { appended } = await this.executor.execute(
      streams.user(userId),
      registrationDecider,
      { userId, email, emailNormalized, passwordHash, roles: command.roles, emailVerifiedBy: 'operator' },
      metadata,
    );
    await this.readYourWrites.settle(appended?.position);
    return { userId };
  }

}
