import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@app/platform';
import { PasswordHasher, PasswordPolicy } from '@app/security';
import { eventMetadata, streams } from '@app/identity-events';
import { PasswordPolicyError } from '../registering-user/register-user.handler';
import { AccountDirectory } from '../shared/account-directory';
import { CommandExecutor } from '../shared/command-executor';
import { FailureBudget } from '../shared/failure-budget';
import { ReadYourWrites } from '../shared/read-your-writes';
import { SessionRevoker } from '../sessions/session-revoker';
import { ChangePasswordCommand } from './change-password.command';
import { credentialsDecider } from './credentials.decider';
import { SessionQueries } from '../querying/session-queries';

/**
 * Changes the password (the current one is required), then ends every other session of the user
 * before answering, so a stolen session stops working at once. The "password changed" email is
 * sent by the notifications reactor from the event.
 */
@Injectable()
export class ChangePasswordHandler {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly executor: CommandExecutor,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly revoker: SessionRevoker,
    private readonly sessionQueries: SessionQueries,
    private readonly clock: Clock,
    private readonly readYourWrites: ReadYourWrites,
    private readonly budget: FailureBudget,
  ) {}

  async execute({ principal, currentPassword, newPassword, context }: ChangePasswordCommand): Promise<void> {
    const account = await this.accounts.credentials(principal.userId);
    if (!account?.passwordHash || !account.userId) throw new DomainError('not_found', 'No such user.');
    // The current password is a proof of identity: a stolen session must not guess it freely.
    const subject = {
      userId: account.userId,
      email: principal.email,
      factor: 'password' as const,
      purpose: 'change_password' as const,
    };
    const verifiedHash = await this.budget.check(subject, context, async () =>
      (await this.hasher.verify(account.passwordHash!, currentPassword))
        ? { accepted: true, value: account.passwordHash! }
        : {
            accepted: false,
            error: new DomainError('current_password_invalid', 'The current password is not correct.'),
          },
    );

    const sameAsCurrent = await this.hasher.verify(account.passwordHash, newPassword);
    const reasons = this.policy.check(newPassword, { email: principal.email, sameAsCurrent });
    if (reasons.length > 0) throw new PasswordPolicyError(reasons);

    const newPasswordHash = await this.hasher.hash(newPassword);
    const metadata = eventMetadata(context, this.clock.now());
    const { appended } = await this.executor.execute(
      streams.user(principal.userId),
      credentialsDecider,
      { kind: 'change', verifiedHash, newPasswordHash, sessionId: principal.sessionId },
      metadata,
    );
    const others = await this.sessionQueries.notRevoked(principal.userId);
    const revoked = await this.revoker.revoke(
      others.map((s) => s.id).filter((id) => id !== principal.sessionId),
      'password_changed',
      context,
    );
    await this.readYourWrites.settle(revoked ?? appended?.position);
  }
}
