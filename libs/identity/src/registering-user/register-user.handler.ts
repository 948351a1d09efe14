import { Injectable } from '@nestjs/common';
import { Clock, DomainError, IdGenerator, ValidationFailedError } from '@app/platform';
import {
  EMAIL_ADDRESS_PROBLEMS,
  emailAddressProblem,
  PASSWORD_POLICY_MESSAGES,
  PasswordHasher,
  PasswordPolicy,
} from '@app/security';
import { eventMetadata, streams } from '@app/identity-events';
import { AccountDirectory } from '../shared/account-directory';
import { CommandExecutor } from '../shared/command-executor';
import { ReadYourWrites } from '../shared/read-your-writes';
import { emailClaimDecider, normalizeEmail } from './email-claim.decider';
import { EmailIndex } from '../shared/email-index';
import { RegisterUserCommand } from './register-user.command';
import { registrationDecider } from './registration.decider';

export class PasswordPolicyError extends DomainError {
  constructor(reasons: (keyof typeof PASSWORD_POLICY_MESSAGES)[]) {
    super('password_policy', reasons.map((r) => PASSWORD_POLICY_MESSAGES[r]).join(' '), {
      reasons: reasons.map((code) => ({ code, message: PASSWORD_POLICY_MESSAGES[code] })),
    });
  }
}

/** What any new account is checked against, whoever creates it: a deliverable address, the password policy. */
export function checkNewAccount(policy: PasswordPolicy, email: string, password: string): void {
  const addressProblem = emailAddressProblem(email);
  if (addressProblem)
    throw new ValidationFailedError([{ field: 'email', message: EMAIL_ADDRESS_PROBLEMS[addressProblem] }]);
  const reasons = policy.check(password, { email });
  if (reasons.length > 0) throw new PasswordPolicyError(reasons);
}

/** Accounts an operator creates (bootstrap admin, shell): the address counts as proved. */
@Injectable()
export class RegisterUserHandler {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly accounts: AccountDirectory,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly readYourWrites: ReadYourWrites,
    private readonly index: EmailIndex,
  ) {}

  async execute(command: RegisterUserCommand): Promise<{ userId: string }> {
    const email = command.email.trim();
    // The shell and the bootstrap admin do not pass through the HTTP validation.
    checkNewAccount(this.policy, email, command.password);

    const emailNormalized = normalizeEmail(email);
    const passwordHash = await this.hasher.hash(command.password);
    const userId = this.ids.newId();
    const metadata = eventMetadata(command.context, this.clock.now());
    const guard = streams.emailGuard(this.index.digestOf(emailNormalized));

    await this.executor.execute(
      guard,
      emailClaimDecider,
      { userId, now: this.clock.now(), claimantRegistered: await this.accounts.claimantRegistered(guard) },
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
