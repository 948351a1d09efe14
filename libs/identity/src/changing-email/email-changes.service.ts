import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { emailCode, Mailer } from '@app/notifications';
import { Clock, IdGenerator, ValidationFailedError, type RequestContext } from '@app/platform';
import { EMAIL_ADDRESS_PROBLEMS, emailAddressProblem } from '@app/security';
import { eventMetadata, IdentityEvent, streams } from '@app/identity-events';
import { MfaCrypto } from '../shared/mfa-crypto';
import { CodeInvalidError } from '../shared/code-errors';
import { StepUps } from '../stepping-up/step-ups.service';
import { emailClaimDecider, normalizeEmail } from '../registering-user/email-claim.decider';
import { EmailIndex } from '../shared/email-index';
import type { Principal } from '../sessions/principal';
import { AccountDirectory } from '../shared/account-directory';
import { AfterAnswer } from '../shared/after-answer';
import { CommandExecutor } from '../shared/command-executor';
import { FailureBudget } from '../shared/failure-budget';
import { ReadYourWrites } from '../shared/read-your-writes';
import {
  EMAIL_CHANGE_RESEND_COOLDOWN_MS,
  EMAIL_CHANGE_TTL_MS,
  emailChangeDecider,
  livePending,
} from './email-change.decider';

/**
 * Moving an account to another address: with a step-up grant, a code goes to the new address;
 * when it comes back the new address is claimed, the account moves (`EmailChanged`, after which the
 * old address no longer signs in), and the old address is released. The old address is told by the
 * notifications reactor. The answer to a request is the same whether or not the new address
 * belongs to another account: that is found out only by whoever reads the code.
 */
@Injectable()
export class EmailChanges implements OnApplicationShutdown {
  private readonly logger = new Logger(EmailChanges.name);
  private readonly afterAnswer = new AfterAnswer(this.logger);

  constructor(
    private readonly stepUps: StepUps,
    private readonly accounts: AccountDirectory,
    private readonly index: EmailIndex,
    private readonly executor: CommandExecutor,
    private readonly budget: FailureBudget,
    private readonly crypto: MfaCrypto,
    private readonly mailer: Mailer,
    private readonly readYourWrites: ReadYourWrites,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async request(
    principal: Principal,
    reauthToken: string | undefined,
    rawEmail: string,
    context: RequestContext,
  ): Promise<{ resendAvailableAt: string }> {
    const newEmail = rawEmail.trim();
    const problem = emailAddressProblem(newEmail);
    if (problem) throw new ValidationFailedError([{ field: 'newEmail', message: EMAIL_ADDRESS_PROBLEMS[problem] }]);
    await this.stepUps.require(principal, reauthToken, 'change_email', context);
    const now = this.clock.now();
    const codeId = this.ids.newId();
    const mailed = this.crypto.newEmailCode(codeKey(principal.userId, codeId));
    await this.executor.execute(
      streams.user(principal.userId),
      emailChangeDecider,
      {
        kind: 'request',
        newEmail,
        newEmailNormalized: normalizeEmail(newEmail),
        codeId,
        codeHash: mailed.codeHash,
        now,
      },
      eventMetadata(context, now),
    );
    this.afterAnswer.run('Mailing an email-change code', async () => {
      await this.mailer.send({
        to: newEmail,
        ...emailCode({
          email: principal.email,
          code: mailed.code,
          purpose: 'change_email',
          expiresInMinutes: EMAIL_CHANGE_TTL_MS / 60_000,
        }),
      });
    });
    return { resendAvailableAt: new Date(now.getTime() + EMAIL_CHANGE_RESEND_COOLDOWN_MS).toISOString() };
  }

  async confirm(principal: Principal, code: string, context: RequestContext): Promise<void> {
    const { userId } = principal;
    const stream = streams.user(userId);
    const subject = { userId, email: principal.email, factor: 'email_code' as const, purpose: 'change_email' as const };
    const changed = await this.budget.check(subject, context, () =>
      this.executor.withLock(stream, async () => {
        const now = this.clock.now();
        const pending = livePending(await this.executor.load(stream, emailChangeDecider), now);
        if (!pending) return { accepted: false as const, error: new CodeInvalidError() };
        const matches = this.crypto.emailCodeCheck(code, (codeId) => codeKey(userId, codeId));
        const metadata = eventMetadata(context, now);
        if (matches(pending.codeId, pending.codeHash)) {
          // The new address first: if another account holds it, nothing changes (409 email_taken).
          const guard = streams.emailGuard(this.index.digestOf(pending.newEmailNormalized));
          const claimantRegistered = await this.accounts.claimantRegistered(guard);
          await this.executor.execute(guard, emailClaimDecider, { userId, now, claimantRegistered }, metadata);
        }
        const { events, appended } = await this.executor.executeLocked(
          stream,
          emailChangeDecider,
          { kind: 'confirm', matches, now },
          metadata,
        );
        const event = events.find((e) => e.type === IdentityEvent.EmailChanged);
        return event
          ? { accepted: true as const, value: { oldEmail: event.data.oldEmail, position: appended?.position } }
          : { accepted: false as const, error: new CodeInvalidError() };
      }),
    );
    const released = await this.executor.execute(
      this.index.guardOf(changed.oldEmail),
      emailClaimDecider,
      { release: true, userId },
      eventMetadata(context, this.clock.now()),
    );
    await this.readYourWrites.settle(released.appended?.position ?? changed.position);
  }

  settled(): Promise<void> {
    return this.afterAnswer.settled();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settled();
  }
}

/** Ties a code to its account and to the mail it was sent in. */
const codeKey = (userId: string, codeId: string) => `email-change:${userId}:${codeId}`;
