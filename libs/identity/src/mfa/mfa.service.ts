import { Injectable } from '@nestjs/common';
import { Mailer, emailCode } from '@app/notifications';
import { Clock, DomainError, IdGenerator, RequestContext, SecureRandom } from '@app/platform';
import { PasswordHasher, qrCodeDataUrl, totpUri } from '@app/security';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import {
  eventMetadata,
  streams,
  type DomainEvent,
  type EmailCodePurpose,
  type ProofFactor,
  type ProofPurpose,
  type StepUpAction,
} from '@app/identity-events';
import { CommandExecutor } from '../shared/command-executor';
import { ReadYourWrites } from '../shared/read-your-writes';
import { AccountDirectory } from '../shared/account-directory';
import { FailureBudget } from '../shared/failure-budget';
import type { Principal } from '../sessions/principal';
import { hashSessionToken, newOpaqueToken } from '../sessions/session-token';
import { MfaCrypto } from './mfa-crypto';
import { accepted, MfaCommand, mfaDecider, MfaState, Proof, StepUpRequiredError } from './mfa.decider';

export const EMAIL_CODE_TTL_MS = 10 * 60_000;
export const EMAIL_CODE_RESEND_MS = 60_000;
export const REAUTH_TTL_MS = 5 * 60_000;

export class CodeInvalidError extends DomainError {
  constructor() {
    super('code_invalid', 'The code is not valid: it may be wrong, expired or already used.');
  }
}

/** The self-service MFA use cases: step-up, authenticator app, email codes, recovery codes. */
@Injectable()
export class MfaService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly executor: CommandExecutor,
    private readonly crypto: MfaCrypto,
    private readonly mailer: Mailer,
    private readonly hasher: PasswordHasher,
    private readonly accounts: AccountDirectory,
    private readonly ids: IdGenerator,
    private readonly random: SecureRandom,
    private readonly clock: Clock,
    private readonly readYourWrites: ReadYourWrites,
    private readonly budget: FailureBudget,
  ) {}

  state(userId: string): Promise<MfaState> {
    return this.executor.load(streams.user(userId), mfaDecider);
  }

  /** POST /v1/me/reauth: the password (no MFA on) or a code from an enabled method. */
  async reauthenticate(principal: Principal, input: { password?: string; method?: 'totp' | 'email'; code?: string }, context: RequestContext) {
    const byPassword = input.password !== undefined;
    const factor: ProofFactor = byPassword ? 'password' : input.method === 'totp' ? 'totp' : 'email_code';
    const refusal = byPassword ? new DomainError('invalid_credentials', 'The password is not correct.') : new CodeInvalidError();
    const { token, tokenHash } = newOpaqueToken(this.random);
    let expiresAt = new Date(0);
    await this.checked(principal, factor, 'step_up', context, refusal, async () => {
      let proof: Proof;
      if (input.password !== undefined) {
        const account = await this.accounts.credentials(principal.userId);
        proof = { method: 'password', valid: !!account?.passwordHash && (await this.hasher.verify(account.passwordHash, input.password)) };
      } else if (input.method === 'totp') {
        proof = { method: 'totp', check: this.crypto.totpCheck(principal.userId, input.code ?? '') };
      } else {
        proof = { method: 'email', check: this.crypto.emailCodeCheck(input.code ?? '', (id) => `email-code:${id}`), now: this.clock.now() };
      }
      const now = this.clock.now();
      expiresAt = new Date(now.getTime() + REAUTH_TTL_MS);
      return this.run(principal.userId, { kind: 'step_up', proof, sessionId: principal.sessionId, tokenHash, expiresAt, now }, context);
    });
    return { reauthToken: token, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Refuses the call unless X-Reauth-Token holds a fresh step-up of this session, and binds that
   * grant to `action`: it serves no other action, and is spent when the action completes.
   */
  async requireStepUp(principal: Principal, reauthToken: string | undefined, action: StepUpAction, context: RequestContext): Promise<void> {
    if (!reauthToken) throw new StepUpRequiredError();
    await this.run(principal.userId, { kind: 'use_step_up', sessionId: principal.sessionId, tokenHash: hashSessionToken(reauthToken), action, now: this.clock.now() }, context);
  }

  async startTotp(principal: Principal, context: RequestContext) {
    const { secret, sealedSecret } = this.crypto.newTotpSecret(principal.userId);
    await this.run(principal.userId, { kind: 'start_totp', sealedSecret }, context);
    const otpauthUri = totpUri({ issuer: this.config.totpIssuer, account: principal.email, secret });
    return { secret, otpauthUri, qrCode: await qrCodeDataUrl(otpauthUri) };
  }

  async confirmTotp(principal: Principal, code: string, context: RequestContext) {
    const recovery = this.crypto.newRecoveryCodes(principal.userId);
    await this.checked(principal, 'totp', 'confirm_totp', context, new CodeInvalidError(), () =>
      this.run(principal.userId, { kind: 'confirm_totp', check: this.crypto.totpCheck(principal.userId, code), recoveryCodes: recovery }, context, true),
    );
    return { recoveryCodes: recovery.codes };
  }

  async disableTotp(principal: Principal, code: string, context: RequestContext): Promise<void> {
    await this.checked(principal, 'totp', 'disable_totp', context, new CodeInvalidError(), () =>
      this.run(principal.userId, { kind: 'disable_totp', check: this.crypto.totpCheck(principal.userId, code) }, context, true),
    );
  }

  /** Sends a 6-digit code for a purpose to the account's address; at most one a minute. */
  async sendEmailCode(principal: Principal, purpose: EmailCodePurpose, context: RequestContext) {
    const codeId = this.ids.newId();
    const { code, codeHash } = this.crypto.newEmailCode(`email-code:${codeId}`);
    const now = this.clock.now();
    await this.run(
      principal.userId,
      { kind: 'send_email_code', purpose, codeId, codeHash, now, expiresAt: new Date(now.getTime() + EMAIL_CODE_TTL_MS), cooldownMs: EMAIL_CODE_RESEND_MS },
      context,
    );
    await this.mailer.send({ to: principal.email, ...emailCode({ email: principal.email, code, purpose, expiresInMinutes: EMAIL_CODE_TTL_MS / 60_000 }) });
    return { resendAvailableAt: new Date(now.getTime() + EMAIL_CODE_RESEND_MS).toISOString() };
  }

  async confirmEmail(principal: Principal, code: string, enable: boolean, context: RequestContext): Promise<void> {
    const check = this.crypto.emailCodeCheck(code, (id) => `email-code:${id}`);
    await this.checked(principal, 'email_code', enable ? 'enable_email_mfa' : 'disable_email_mfa', context, new CodeInvalidError(), () =>
      this.run(principal.userId, { kind: enable ? 'enable_email' : 'disable_email', check, now: this.clock.now() }, context, true),
    );
  }

  async viewRecoveryCodes(principal: Principal, code: string, context: RequestContext) {
    await this.checked(principal, 'totp', 'view_recovery_codes', context, new CodeInvalidError(), () =>
      this.run(principal.userId, { kind: 'view_recovery_codes', check: this.crypto.totpCheck(principal.userId, code) }, context),
    );
    const state = await this.state(principal.userId);
    const codes = state.recovery.sealedCodes ? this.crypto.openRecoveryCodes(principal.userId, state.recovery.sealedCodes) : [];
    return { recoveryCodes: codes.filter((_, index) => !state.recovery.used.has(index)) };
  }

  async regenerateRecoveryCodes(principal: Principal, code: string, context: RequestContext) {
    const recovery = this.crypto.newRecoveryCodes(principal.userId);
    await this.checked(principal, 'totp', 'regenerate_recovery_codes', context, new CodeInvalidError(), () =>
      this.run(principal.userId, { kind: 'regenerate_recovery_codes', check: this.crypto.totpCheck(principal.userId, code), recoveryCodes: recovery }, context, true),
    );
    return { recoveryCodes: recovery.codes };
  }

  /**
   * Runs a command that checks a proof of identity within the account's failure budget: refused
   * unchecked while locked, and a refusal (`refusal`) counts as one failure.
   */
  private checked(
    principal: Principal,
    factor: ProofFactor,
    purpose: ProofPurpose,
    context: RequestContext,
    refusal: Error,
    decide: () => Promise<DomainEvent[]>,
  ): Promise<DomainEvent[]> {
    return this.budget.check({ userId: principal.userId, email: principal.email, factor, purpose }, context, async () => {
      const events = await decide();
      return accepted(events) ? { accepted: true, value: events } : { accepted: false, error: refusal };
    });
  }

  /** Decides on the user stream; waits for the read models when the change shows in GET endpoints. */
  private async run(userId: string, command: MfaCommand, context: RequestContext, settle = false): Promise<DomainEvent[]> {
    const { events, appended } = await this.executor.execute(streams.user(userId), mfaDecider, command, eventMetadata(context, this.clock.now()));
    if (settle && accepted(events)) await this.readYourWrites.settle(appended?.position);
    return events;
  }
}
