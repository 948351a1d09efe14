import { Injectable } from '@nestjs/common';
import { eventMetadata, IdentityEvent, streams, type EmailCodePurpose } from '@app/identity-events';
import { emailCode, Mailer } from '@app/notifications';
import { Clock, IdGenerator, RequestContext } from '@app/platform';
import type { Principal } from '../../sessions/principal';
import { CodeInvalidError } from '../../shared/code-errors';
import { CommandExecutor } from '../../shared/command-executor';
import { FailureBudget } from '../../shared/failure-budget';
import { MfaCrypto } from '../../shared/mfa-crypto';
import { ReadYourWrites } from '../../shared/read-your-writes';
import type { FactorStatus, ProofRequest, ProofResult, SecondFactorMethod } from '../second-factor-method';
import { decideEmailCodeProof, emailCodeModel } from './email-code.model';

export const EMAIL_CODE_TTL_MS = 10 * 60_000;
export const EMAIL_CODE_RESEND_MS = 60_000;

/** Six-digit codes mailed to the account's address: for sign-in, step-up, and turning this method on or off. */
@Injectable()
export class EmailCodeMethod implements SecondFactorMethod {
  readonly id = 'email';
  readonly amr = 'email';
  readonly factor = 'email_code';
  readonly uses = ['sign_in', 'step_up'] as const;

  constructor(
    private readonly executor: CommandExecutor,
    private readonly crypto: MfaCrypto,
    private readonly mailer: Mailer,
    private readonly budget: FailureBudget,
    private readonly readYourWrites: ReadYourWrites,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async status(userId: string): Promise<FactorStatus> {
    const state = await this.executor.load(streams.user(userId), emailCodeModel);
    return { on: state.enabled, available: state.enabled, setUpAt: state.enabledAt };
  }

  /**
   * At sign-in the code was mailed for the challenge and is checked against it (the challenge
   * records the outcome); for a step-up it is the latest code mailed for that purpose.
   */
  async prove(request: ProofRequest): Promise<ProofResult> {
    if (request.use === 'sign_in') {
      const sent = request.challengeCode;
      const matches =
        !!sent &&
        sent.expiresAt > request.now.getTime() &&
        this.crypto.emailCodeCheck(request.code, (codeId) => `challenge:${sent.challengeId}:${codeId}`)(
          sent.codeId,
          sent.codeHash,
        );
      return { accepted: matches, position: undefined };
    }
    const proof = {
      check: this.crypto.emailCodeCheck(request.code, (id) => `email-code:${id}`),
      now: request.now,
      whenAccepted: (codeId: string) => request.whenAccepted?.({ codeId }) ?? [],
      whenRefused: () => request.whenRefused?.() ?? [],
    };
    const { result, appended } = await this.executor.decideWithResult(
      streams.user(request.userId),
      emailCodeModel,
      decideEmailCodeProof,
      proof,
      request.metadata,
      {
        locked: request.locked,
      },
    );
    return { accepted: result, position: appended?.position };
  }

  /** Mails a code for a purpose to the account's address; at most one a minute. */
  async send(principal: Principal, purpose: EmailCodePurpose, context: RequestContext) {
    const codeId = this.ids.newId();
    const { code, codeHash } = this.crypto.newEmailCode(`email-code:${codeId}`);
    const now = this.clock.now();
    await this.executor.execute(
      streams.user(principal.userId),
      emailCodeModel,
      {
        kind: 'send',
        purpose,
        codeId,
        codeHash,
        now,
        expiresAt: new Date(now.getTime() + EMAIL_CODE_TTL_MS),
        cooldownMs: EMAIL_CODE_RESEND_MS,
      },
      eventMetadata(context, now),
    );
    await this.mailer.send({
      to: principal.email,
      ...emailCode({ email: principal.email, code, purpose, expiresInMinutes: EMAIL_CODE_TTL_MS / 60_000 }),
    });
    return { resendAvailableAt: new Date(now.getTime() + EMAIL_CODE_RESEND_MS).toISOString() };
  }

  /** The code mailed to turn email codes on (or off) does it. */
  async confirm(principal: Principal, code: string, enable: boolean, context: RequestContext): Promise<void> {
    const check = this.crypto.emailCodeCheck(code, (id) => `email-code:${id}`);
    const subject = {
      userId: principal.userId,
      email: principal.email,
      factor: 'email_code' as const,
      purpose: enable ? ('enable_email_mfa' as const) : ('disable_email_mfa' as const),
    };
    await this.budget.check(subject, context, async () => {
      const { events, appended } = await this.executor.execute(
        streams.user(principal.userId),
        emailCodeModel,
        { kind: enable ? 'enable' : 'disable', check, now: this.clock.now() },
        eventMetadata(context, this.clock.now()),
      );
      const changed = events.some(
        (event) => event.type === IdentityEvent.EmailMfaEnabled || event.type === IdentityEvent.EmailMfaDisabled,
      );
      if (!changed) return { accepted: false, error: new CodeInvalidError() };
      await this.readYourWrites.settle(appended?.position);
      return { accepted: true, value: undefined };
    });
  }
}
