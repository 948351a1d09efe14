import { Injectable } from '@nestjs/common';
import {
  eventMetadata,
  IdentityEvent,
  identityEvent,
  streams,
  type ProofFactor,
  type StepUpAction,
} from '@app/identity-events';
import { Clock, DomainError, RequestContext, SecureRandom, ValidationFailedError } from '@app/platform';
import { PasswordHasher } from '@app/security';
import { SecondFactorRegistry } from '../second-factors/second-factor-registry';
import type { Principal } from '../sessions/principal';
import { hashSessionToken, newOpaqueToken } from '../sessions/session-token';
import { AccountDirectory } from '../shared/account-directory';
import { CodeInvalidError } from '../shared/code-errors';
import { CommandExecutor } from '../shared/command-executor';
import { FailureBudget } from '../shared/failure-budget';
import { stepUpModel, stepUpsExhausted, StepUpsExhaustedError, StepUpRequiredError } from './step-up.model';

export const REAUTH_TTL_MS = 5 * 60_000;

/**
 * Step-up: a fresh confirmation of identity (the password while no second factor is on, else a
 * code of a method that serves step-up), giving a short-lived token bound to the session that
 * serves one sensitive action.
 */
@Injectable()
export class StepUps {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly registry: SecondFactorRegistry,
    private readonly accounts: AccountDirectory,
    private readonly hasher: PasswordHasher,
    private readonly budget: FailureBudget,
    private readonly random: SecureRandom,
    private readonly clock: Clock,
  ) {}

  /** POST /v1/me/reauth: `{password}` or `{method, code}`. */
  async reauthenticate(
    principal: Principal,
    input: { password?: string; method?: string; code?: string; assertion?: unknown },
    context: RequestContext,
  ) {
    const method = input.password === undefined ? this.stepUpMethod(input.method) : null;
    const factor: ProofFactor = method ? method.factor : 'password';
    const refusal = method
      ? new CodeInvalidError()
      : new DomainError('invalid_credentials', 'The password is not correct.');
    const { token, tokenHash } = newOpaqueToken(this.random);
    const stream = streams.user(principal.userId);
    const expiresAt = new Date(this.clock.now().getTime() + REAUTH_TTL_MS);
    await this.budget.check(
      { userId: principal.userId, email: principal.email, factor, purpose: 'step_up' },
      context,
      async () => {
        const now = this.clock.now();
        const metadata = eventMetadata(context, now);
        if (stepUpsExhausted(await this.executor.load(stream, stepUpModel), now)) throw new StepUpsExhaustedError();
        const grant = {
          userId: principal.userId,
          sessionId: principal.sessionId,
          tokenHash,
          expiresAt: expiresAt.toISOString(),
        };
        if (method) {
          const proof = await method.prove({
            userId: principal.userId,
            code: input.code ?? '',
            assertion: input.assertion,
            use: 'step_up',
            now,
            metadata,
            whenAccepted: ({ codeId }) => [
              identityEvent(IdentityEvent.StepUpCompleted, {
                ...grant,
                method: method.id,
                ...(codeId ? { codeId } : {}),
              }),
            ],
            whenRefused: () => [
              identityEvent(IdentityEvent.StepUpFailed, { userId: principal.userId, method: method.id }),
            ],
          });
          return proof.accepted ? { accepted: true, value: undefined } : { accepted: false, error: refusal };
        }
        const secondFactorOn = SecondFactorRegistry.anyOn(await this.registry.statuses(principal.userId));
        const account = secondFactorOn ? null : await this.accounts.credentials(principal.userId);
        const valid = !!account?.passwordHash && (await this.hasher.verify(account.passwordHash, input.password ?? ''));
        const { events } = await this.executor.execute(
          stream,
          stepUpModel,
          {
            kind: 'confirm_password',
            valid,
            sessionId: principal.sessionId,
            tokenHash,
            expiresAt,
            now,
            secondFactorOn,
          },
          metadata,
        );
        return events.some((event) => event.type === IdentityEvent.StepUpCompleted)
          ? { accepted: true, value: undefined }
          : { accepted: false, error: refusal };
      },
    );
    return { reauthToken: token, expiresAt: expiresAt.toISOString() };
  }

  /** What the browser needs before it can confirm with a method that signs a challenge (a passkey). */
  startAnswer(principal: Principal, methodId: string, context: RequestContext): Promise<object> {
    const method = this.stepUpMethod(methodId);
    if (!method.startAnswer)
      throw new ValidationFailedError([{ field: 'method', message: `${method.id} needs no options` }]);
    return method.startAnswer(principal.userId, 'step_up', context);
  }

  /**
   * Refuses the call unless X-Reauth-Token holds a fresh step-up of this session, and binds that
   * grant to `action`: it serves no other action, and is spent when the action completes.
   */
  async require(
    principal: Principal,
    reauthToken: string | undefined,
    action: StepUpAction,
    context: RequestContext,
  ): Promise<void> {
    if (!reauthToken) throw new StepUpRequiredError();
    await this.executor.execute(
      streams.user(principal.userId),
      stepUpModel,
      {
        kind: 'use',
        sessionId: principal.sessionId,
        tokenHash: hashSessionToken(reauthToken),
        action,
        now: this.clock.now(),
      },
      eventMetadata(context, this.clock.now()),
    );
  }

  /** A method that serves step-up, or a validation error naming those that do. */
  private stepUpMethod(id: string | undefined) {
    const method = id === undefined ? null : this.registry.get(id);
    if (method?.uses.includes('step_up')) return method;
    const ids = this.registry.methods.filter((m) => m.uses.includes('step_up')).map((m) => m.id);
    throw new ValidationFailedError([{ field: 'method', message: `method must be one of: ${ids.join(', ')}` }]);
  }
}
