import { Inject, Injectable } from '@nestjs/common';
import { eventMetadata, IdentityEvent, streams } from '@app/identity-events';
import { APP_CONFIG, AppConfig, Clock, RequestContext } from '@app/platform';
import { qrCodeDataUrl, totpUri } from '@app/security';
import type { Principal } from '../../sessions/principal';
import { CodeInvalidError } from '../../shared/code-errors';
import { CommandExecutor } from '../../shared/command-executor';
import { FailureBudget } from '../../shared/failure-budget';
import { MfaCrypto } from '../../shared/mfa-crypto';
import { ReadYourWrites } from '../../shared/read-your-writes';
import type { FactorStatus, ProofRequest, ProofResult, SecondFactorMethod } from '../second-factor-method';
import { decideTotpProof, TotpCommand, totpModel, TotpState } from './totp.model';

const PURPOSE = {
  sign_in: 'sign_in',
  step_up: 'reauthenticate',
  password_reset: 'password_reset',
  recovery_codes: 'recovery_codes',
} as const;

/** The authenticator app (TOTP, RFC 6238): set up with a QR code, one code per 30 s step, each accepted once. */
@Injectable()
export class TotpMethod implements SecondFactorMethod {
  readonly id = 'totp';
  readonly amr = 'otp';
  readonly factor = 'totp';
  readonly uses = ['sign_in', 'step_up', 'password_reset'] as const;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly executor: CommandExecutor,
    private readonly crypto: MfaCrypto,
    private readonly budget: FailureBudget,
    private readonly readYourWrites: ReadYourWrites,
    private readonly clock: Clock,
  ) {}

  state(userId: string): Promise<TotpState> {
    return this.executor.load(streams.user(userId), totpModel);
  }

  async status(userId: string): Promise<FactorStatus> {
    const state = await this.state(userId);
    return { on: state.secret !== null, available: state.secret !== null, setUpAt: state.enabledAt };
  }

  async prove(request: ProofRequest): Promise<ProofResult> {
    const proof = {
      check: this.crypto.totpCheck(request.userId, request.code),
      purpose: PURPOSE[request.use],
      whenAccepted: () => request.whenAccepted?.({ codeId: null }) ?? [],
      whenRefused: () => request.whenRefused?.() ?? [],
    };
    const { result, appended } = await this.executor.decideWithResult(
      streams.user(request.userId),
      totpModel,
      decideTotpProof,
      proof,
      request.metadata,
      {
        locked: request.locked,
      },
    );
    return { accepted: result, position: appended?.position };
  }

  /** Step 1 of the set-up: a new seed, shown once as a key and a QR code; sealed in the event. */
  async start(principal: Principal, context: RequestContext) {
    const { secret, sealedSecret } = this.crypto.newTotpSecret(principal.userId);
    await this.run(principal.userId, { kind: 'start', sealedSecret }, context);
    const otpauthUri = totpUri({ issuer: this.config.totpIssuer, account: principal.email, secret });
    return { secret, otpauthUri, qrCode: await qrCodeDataUrl(otpauthUri) };
  }

  /** A code of the pending seed turns the app on, with ten new recovery codes (shown once). */
  async confirm(principal: Principal, code: string, context: RequestContext) {
    const recovery = this.crypto.newRecoveryCodes(principal.userId);
    await this.budget.check(
      { userId: principal.userId, email: principal.email, factor: 'totp', purpose: 'confirm_totp' },
      context,
      async () => {
        const accepted = await this.run(
          principal.userId,
          { kind: 'confirm', check: this.crypto.totpCheck(principal.userId, code), recoveryCodes: recovery },
          context,
        );
        return accepted ? { accepted: true, value: undefined } : { accepted: false, error: new CodeInvalidError() };
      },
    );
    return { recoveryCodes: recovery.codes };
  }

  /** A fresh code turns the app off (and its recovery codes with it). */
  async disable(principal: Principal, code: string, context: RequestContext): Promise<void> {
    await this.budget.check(
      { userId: principal.userId, email: principal.email, factor: 'totp', purpose: 'disable_totp' },
      context,
      async () => {
        const accepted = await this.run(
          principal.userId,
          { kind: 'disable', check: this.crypto.totpCheck(principal.userId, code) },
          context,
        );
        return accepted ? { accepted: true, value: undefined } : { accepted: false, error: new CodeInvalidError() };
      },
    );
  }

  /** True when the command turned something on or off; then the read models are waited for. */
  private async run(userId: string, command: TotpCommand, context: RequestContext): Promise<boolean> {
    const { events, appended } = await this.executor.execute(
      streams.user(userId),
      totpModel,
      command,
      eventMetadata(context, this.clock.now()),
    );
    const changed = events.some(
      (event) =>
        event.type === IdentityEvent.TotpEnrollmentStarted ||
        event.type === IdentityEvent.TotpEnrolled ||
        event.type === IdentityEvent.TotpDisabled,
    );
    if (changed && command.kind !== 'start') await this.readYourWrites.settle(appended?.position);
    return changed;
  }
}
