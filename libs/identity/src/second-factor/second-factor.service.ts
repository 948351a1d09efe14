import { Injectable } from '@nestjs/common';
import { Mailer, emailCode } from '@app/notifications';
import { Clock, DomainError, IdGenerator, RequestContext } from '@app/platform';
import { eventMetadata, IdentityEvent, streams, type AuthenticationMethod } from '@app/identity-events';
import { MfaCrypto } from '../mfa/mfa-crypto';
import { accepted, enabledMethods, mfaDecider, MfaState, Proof, remainingRecoveryCodes } from '../mfa/mfa.decider';
import { CodeInvalidError, EMAIL_CODE_RESEND_MS, EMAIL_CODE_TTL_MS } from '../mfa/mfa.service';
import type { CredentialsState } from '../changing-password/credentials.decider';
import { AccountDirectory } from '../shared/account-directory';
import { CommandExecutor } from '../shared/command-executor';
import { FailureBudget } from '../shared/failure-budget';
import { SessionStarter, StartedSession } from '../sessions/session-starter';
import { ChallengeMethod, challengeDecider, ChallengeState, isOpen } from './challenge.decider';

export const CHALLENGE_TTL_MS = 5 * 60_000;

export class ChallengeClosedError extends DomainError {
  constructor() {
    super('code_invalid', 'This sign-in is no longer valid (the account changed since the password was checked); sign in again.');
  }
}

export interface MfaRequired {
  status: 'mfa_required';
  challengeId: string;
  methods: ChallengeMethod[];
  expiresAt: string;
}

const AMR: Record<ChallengeMethod, AuthenticationMethod> = { totp: 'otp', email: 'email', recovery_code: 'recovery_code' };

/** The second step of sign-in: a challenge per password sign-in, answered with one enabled method. */
@Injectable()
export class SecondFactorService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly crypto: MfaCrypto,
    private readonly mailer: Mailer,
    private readonly sessions: SessionStarter,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly accounts: AccountDirectory,
    private readonly budget: FailureBudget,
  ) {}

  /** The methods a user can answer a challenge with, empty when no MFA is on. */
  static methodsOf(state: MfaState): ChallengeMethod[] {
    const methods: ChallengeMethod[] = enabledMethods(state);
    if (state.totp.secret && remainingRecoveryCodes(state) > 0) methods.push('recovery_code');
    return methods;
  }

  /**
   * What a challenge's password step proved, as a comparable string: the password's version and
   * when each second factor was (last) set up. A challenge completes only while it is unchanged.
   */
  static accountVersionOf(credentials: CredentialsState, mfa: MfaState): string {
    return [credentials.passwordVersion, mfa.totp.enabledAt, mfa.emailMfa.enabledAt, mfa.recovery.generatedAt].join('|');
  }

  async issue(challengeId: string, userId: string, methods: ChallengeMethod[], accountVersion: string, context: RequestContext): Promise<MfaRequired> {
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
      { kind: 'send_email_code', codeId, codeHash, now, expiresAt: new Date(now.getTime() + EMAIL_CODE_TTL_MS), cooldownMs: EMAIL_CODE_RESEND_MS },
      eventMetadata(context, now),
    );
    const sent = events.find((event) => event.type === IdentityEvent.ChallengeEmailCodeSent);
    if (!sent) return { resendAvailableAt: new Date(now.getTime() + EMAIL_CODE_RESEND_MS).toISOString() };
    const userId = sent.data.userId;
    const user = await this.executor.load(streams.user(userId), mfaDecider);
    if (user.email) {
      await this.mailer.send({ to: user.email, ...emailCode({ email: user.email, code, purpose: 'sign_in', expiresInMinutes: EMAIL_CODE_TTL_MS / 60_000 }) });
    }
    return { resendAvailableAt: new Date(now.getTime() + EMAIL_CODE_RESEND_MS).toISOString() };
  }

  /**
   * Checks one answer. The whole check runs under the challenge's lock, so of many parallel
   * answers at most five are ever evaluated: the rest find the challenge dead and are refused.
   */
  verify(challengeId: string, method: ChallengeMethod, code: string, context: RequestContext): Promise<StartedSession> {
    const stream = streams.challenge(challengeId);
    return this.executor.withLock(stream, async () => {
      const now = this.clock.now();
      const state = await this.executor.load(stream, challengeDecider);
      if (!state.challenge || !isOpen(state, now) || !state.challenge.methods.includes(method)) throw new CodeInvalidError();
      const { userId } = state.challenge;
      const user = await this.executor.load(streams.user(userId), mfaDecider);
      if (!(await this.stillValid(state, user, method))) throw new ChallengeClosedError();
      const metadata = eventMetadata({ ...context, actor: { type: 'user', id: userId } }, now);
      const factor = method === 'email' ? 'email_code' : method;
      const sessionId = await this.budget.check({ userId, email: user.email!, factor, purpose: 'sign_in' }, context, async () => {
        const succeeded = await this.checkAnswer(challengeId, state, method, code, metadata);
        const sessionId = this.ids.newId();
        await this.executor.executeLocked(stream, challengeDecider, { kind: 'record', method, succeeded, sessionId }, metadata);
        return succeeded ? { accepted: true, value: sessionId } : { accepted: false, error: new CodeInvalidError() };
      });
      return this.sessions.start(sessionId, userId, ['pwd', AMR[method]], context);
    });
  }

  /**
   * A challenge proves a password as it was when it was issued: it dies when the account was
   * locked by an administrator, the password changed, or a second factor was turned on, off or
   * set up again since (e.g. by an MFA reset). Answering then would start a session on a stale proof.
   */
  private async stillValid(state: ChallengeState, user: MfaState, method: ChallengeMethod): Promise<boolean> {
    const credentials = await this.accounts.credentials(state.challenge!.userId);
    if (!credentials || credentials.lockedByAdmin) return false;
    if (!SecondFactorService.methodsOf(user).includes(method)) return false;
    return state.challenge!.accountVersion === SecondFactorService.accountVersionOf(credentials, user);
  }

  /** Checks the code itself; a TOTP or recovery code is decided (and recorded) on the user stream. */
  private async checkAnswer(
    challengeId: string,
    state: ChallengeState,
    method: ChallengeMethod,
    code: string,
    metadata: ReturnType<typeof eventMetadata>,
  ): Promise<boolean> {
    const userId = state.challenge!.userId;
    if (method === 'email') {
      const sent = state.emailCode;
      return (
        sent !== null &&
        sent.expiresAt > this.clock.now().getTime() &&
        this.crypto.emailCodeCheck(code, (codeId) => `challenge:${challengeId}:${codeId}`)(sent.codeId, sent.codeHash)
      );
    }
    const proof: Proof =
      method === 'totp'
        ? { method: 'totp', check: this.crypto.totpCheck(userId, code) }
        : { method: 'recovery_code', check: this.crypto.recoveryCodeCheck(userId, code) };
    const { events } = await this.executor.execute(streams.user(userId), mfaDecider, { kind: 'second_factor', proof }, metadata);
    return accepted(events);
  }
}
