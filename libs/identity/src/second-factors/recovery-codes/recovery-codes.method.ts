import { Injectable } from '@nestjs/common';
import { DomainEvent, eventMetadata, IdentityEvent, identityEvent, streams } from '@app/identity-events';
import { Clock, DomainError, RequestContext } from '@app/platform';
import type { Principal } from '../../sessions/principal';
import { CodeInvalidError } from '../../shared/code-errors';
import { CommandExecutor } from '../../shared/command-executor';
import { FailureBudget } from '../../shared/failure-budget';
import { MfaCrypto } from '../../shared/mfa-crypto';
import { ReadYourWrites } from '../../shared/read-your-writes';
import type { FactorStatus, ProofRequest, ProofResult, SecondFactorMethod } from '../second-factor-method';
import { TotpMethod } from '../totp/totp.method';
import { decideRecoveryCodeProof, recoveryCodesModel, remainingRecoveryCodes } from './recovery-codes.model';

/**
 * Ten single-use codes that come with the authenticator app: an answer at sign-in and for a
 * password reset when the phone is gone. Seeing them again or replacing them takes an app code.
 */
@Injectable()
export class RecoveryCodesMethod implements SecondFactorMethod {
  readonly id = 'recovery_code';
  readonly amr = 'recovery_code';
  readonly factor = 'recovery_code';
  readonly uses = ['sign_in', 'password_reset'] as const;

  constructor(
    private readonly executor: CommandExecutor,
    private readonly crypto: MfaCrypto,
    private readonly totp: TotpMethod,
    private readonly budget: FailureBudget,
    private readonly readYourWrites: ReadYourWrites,
    private readonly clock: Clock,
  ) {}

  async status(userId: string): Promise<FactorStatus> {
    const state = await this.executor.load(streams.user(userId), recoveryCodesModel);
    // They count as a way in, not as a second factor being on: they exist only with the app.
    return { on: false, available: remainingRecoveryCodes(state) > 0, setUpAt: state.generatedAt };
  }

  async prove(request: ProofRequest): Promise<ProofResult> {
    const proof = {
      check: this.crypto.recoveryCodeCheck(request.userId, request.code),
      whenAccepted: () => request.whenAccepted?.({ codeId: null }) ?? [],
      whenRefused: () => request.whenRefused?.() ?? [],
    };
    const { result, appended } = await this.executor.decideWithResult(
      streams.user(request.userId),
      recoveryCodesModel,
      decideRecoveryCodeProof,
      proof,
      request.metadata,
      {
        locked: request.locked,
      },
    );
    return { accepted: result, position: appended?.position };
  }

  /** The unused codes, shown again after a fresh app code. */
  async view(principal: Principal, code: string, context: RequestContext) {
    await this.withAppCode(principal, code, 'view_recovery_codes', context, () => [
      identityEvent(IdentityEvent.RecoveryCodesViewed, { userId: principal.userId }),
    ]);
    const state = await this.executor.load(streams.user(principal.userId), recoveryCodesModel);
    const codes = state.sealedCodes ? this.crypto.openRecoveryCodes(principal.userId, state.sealedCodes) : [];
    return { recoveryCodes: codes.filter((_, index) => !state.used.has(index)) };
  }

  /** Ten new codes after a fresh app code; the old ones stop working. */
  async regenerate(principal: Principal, code: string, context: RequestContext) {
    const recovery = this.crypto.newRecoveryCodes(principal.userId);
    const regenerated = () => [
      identityEvent(IdentityEvent.RecoveryCodesRegenerated, {
        userId: principal.userId,
        codeHashes: recovery.codeHashes,
        sealedCodes: recovery.sealedCodes,
      }),
    ];
    const position = await this.withAppCode(principal, code, 'regenerate_recovery_codes', context, regenerated);
    await this.readYourWrites.settle(position);
    return { recoveryCodes: recovery.codes };
  }

  /** Runs `then` with an accepted app code, in the same decision; refused codes count on the failure budget. */
  private async withAppCode(
    principal: Principal,
    code: string,
    purpose: 'view_recovery_codes' | 'regenerate_recovery_codes',
    context: RequestContext,
    then: () => DomainEvent[],
  ) {
    const app = await this.totp.status(principal.userId);
    if (!app.on) throw new DomainError('conflict', 'Recovery codes come with the authenticator app; turn it on first.');
    return this.budget.check(
      { userId: principal.userId, email: principal.email, factor: 'totp', purpose },
      context,
      async () => {
        const metadata = eventMetadata(context, this.clock.now());
        const proof = await this.totp.prove({
          userId: principal.userId,
          code,
          use: 'recovery_codes',
          now: this.clock.now(),
          whenAccepted: then,
          metadata,
        });
        return proof.accepted
          ? { accepted: true, value: proof.position }
          : { accepted: false, error: new CodeInvalidError() };
      },
    );
  }
}
