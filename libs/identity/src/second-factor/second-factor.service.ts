import { Injectable } from '@nestjs/common';
import { Mailer, emailCode } from '@app/notifications';
import { Clock, DomainError, IdGenerator, RequestContext, ValidationFailedError } from '@app/platform';
import { eventMetadata, IdentityEvent, streams } from '@app/identity-events';
import { MfaCrypto } from '../shared/mfa-crypto';
import { CodeInvalidError } from '../shared/code-errors';
import { EMAIL_CODE_RESEND_MS, EMAIL_CODE_TTL_MS } from '../second-factors/email-code/email-code.method';
import { SecondFactorRegistry } from '../second-factors/second-factor-registry';
import type { CredentialsState } from '../changing-password/credentials.decider';
import { AccountDirectory } from '../shared/account-directory';
import { CommandExecutor } from '../shared/command-executor';
import { FailureBudget } from '../shared/failure-budget';
import { SessionStarter, StartedSession } from '../sessions/session-starter';
import { challengeDecider, ChallengeState, isOpen } from './challenge.decider';

export const CHALLENGE_TTL_MS = 5 * 60_000;

export class ChallengeClosedError extends DomainError {
  constructor() {
    super(
      'code_invalid',
      'This sign-in is no longer valid (the account changed since the password was checked); sign in again.',
    );
  }
}

export interface MfaRequired {
  status: 'mfa_required';
  challengeId: string;
  methods: string[];
  expiresAt: string;
}

/** The second step of sign-in: a challenge per password sign-in, answered with one enabled method. */
@Injectable()
export class SecondFactorService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly crypto: MfaCrypto,
    private readonly mailer: Mailer,
    private readonly sessions: SessionStarter,
    private readonly registry: SecondFactorRegistry,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly accounts: AccountDirectory,
    private readonly budget: FailureBudget,
  ) {}

  /**
   * The methods the account can answer a challenge with (empty when no second factor is on), and
   * what the password step proved as a comparable string: the password's version and when each
   * method was (last) set up. A challenge completes only while that is unchanged.
   */
  async secondStepOf(credentials: CredentialsState): Promise<{ methods: string[]; accountVersion: string }> {
    const statuses = credentials.userId ? await this.registry.statuses(credentials.userId) : [];
    return {
      methods: SecondFactorRegistry.offered(statuses, 'sign_in'),
      accountVersion: [credentials.passwordVersion, ...SecondFactorRegistry.setUpVersion(statuses)].join('|'),
    };
  }

  async issue(
    challengeId: string,
    userId: string,
    methods: string[],
    accountVersion: string,
    context: RequestContext,
  ): Promise<MfaRequired> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString();
    await this.executor.execute(
      streams.challenge(challengeId),
      challengeDecider,
      { kind: 'issue', challenge: { challengeId, userId, methods, expiresAt, accountVersion } },
      eventMetadata({ ...context, actor: { type: 'user', id: userId } }, now),
    );
    return { status: 'mfa_required', challengeId, methods, expiresAt };
  }

  async sendEmailCode(challengeId: string, context: RequestContext): Promise<{ resendAvailableAt: string }> {
    const stream = streams.challenge(challengeId);
    const codeId = this.ids.newId();
    const { code, codeHash } = this.crypto.newEmailCode(`challenge:${challengeId}:${codeId}`);
    const now = this.clock.now();
    const { events } = await this.executor.execute(
      stream,
      challengeDecider,
      {
        kind: 'send_email_code',
        codeId,
        codeHash,
        now,
        expiresAt: new Date(now.getTime() + EMAIL_CODE_TTL_MS),
        cooldownMs: EMAIL_CODE_RESEND_MS,
      },
      eventMetadata(context, now),
    );
    const sent = events.find((event) => event.type === IdentityEvent.ChallengeEmailCodeSent);
    const account = sent ? await this.accounts.credentials(sent.data.userId) : null;
    if (account?.email) {
      await this.mailer.send({
        to: account.email,
        ...emailCode({ email: account.email, code, purpose: 'sign_in', expiresInMinutes: EMAIL_CODE_TTL_MS / 60_000 }),
      });
    }
    return { resendAvailableAt: new Date(now.getTime() + EMAIL_CODE_RESEND_MS).toISOString() };
  }

  /** What the browser needs before it can answer with a method that signs a challenge (a passkey). */
  async startAnswer(challengeId: string, methodId: string, context: RequestContext): Promise<object> {
    const state = await this.executor.load(streams.challenge(challengeId), challengeDecider);
    const method = this.registry.get(methodId);
    if (
      !method?.startAnswer ||
      !state.challenge ||
      !isOpen(state, this.clock.now()) ||
      !state.challenge.methods.includes(method.id)
    ) {
      throw new CodeInvalidError();
    }
    return method.startAnswer(state.challenge.userId, 'sign_in', {
      ...context,
      actor: { type: 'user', id: state.challenge.userId },
    });
  }

  /**
   * Checks one answer. The whole check runs under the challenge's lock, so of many parallel
   * answers at most five are ever evaluated: the rest find the challenge dead and are refused.
   */
  verify(
    challengeId: string,
    methodId: string,
    answer: { code?: string; assertion?: unknown },
    context: RequestContext,
  ): Promise<StartedSession> {
    const method = this.registry.get(methodId);
    if (!method?.uses.includes('sign_in')) {
      const ids = this.registry.methods.filter((m) => m.uses.includes('sign_in')).map((m) => m.id);
      throw new ValidationFailedError([{ field: 'method', message: `method must be one of: ${ids.join(', ')}` }]);
    }
    const stream = streams.challenge(challengeId);
    return this.executor.withLock(stream, async () => {
      const now = this.clock.now();
      const state = await this.executor.load(stream, challengeDecider);
      if (!state.challenge || !isOpen(state, now) || !state.challenge.methods.includes(method.id))
        throw new CodeInvalidError();
      const { userId } = state.challenge;
      const account = await this.accounts.credentials(userId);
      if (!account?.email || !(await this.stillValid(state, account, method.id))) throw new ChallengeClosedError();
      const metadata = eventMetadata({ ...context, actor: { type: 'user', id: userId } }, now);
      const sessionId = await this.budget.check(
        { userId, email: account.email, factor: method.factor, purpose: 'sign_in' },
        context,
        async () => {
          const sent = state.emailCode;
          const proof = await method.prove({
            userId,
            code: answer.code ?? '',
            assertion: answer.assertion,
            use: 'sign_in',
            now: this.clock.now(),
            challengeCode: sent
              ? { challengeId, codeId: sent.codeId, codeHash: sent.codeHash, expiresAt: sent.expiresAt }
              : null,
            metadata,
          });
          const sessionId = this.ids.newId();
          await this.executor.executeLocked(
            stream,
            challengeDecider,
            { kind: 'record', method: method.id, succeeded: proof.accepted, sessionId },
            metadata,
          );
          return proof.accepted
            ? { accepted: true, value: sessionId }
            : { accepted: false, error: new CodeInvalidError() };
        },
      );
      return this.sessions.start(sessionId, userId, ['pwd', method.amr], context);
    });
  }

  /**
   * A challenge proves a password as it was when it was issued: it dies when the account was
   * locked by an administrator, the password changed, or a second factor was turned on, off or
   * set up again since (e.g. by an MFA reset). Answering then would start a session on a stale proof.
   */
  private async stillValid(state: ChallengeState, credentials: CredentialsState, methodId: string): Promise<boolean> {
    if (credentials.lockedByAdmin) return false;
    const now = await this.secondStepOf(credentials);
    return now.methods.includes(methodId) && state.challenge!.accountVersion === now.accountVersion;
  }
}
