import { Injectable } from '@nestjs/common';
import { Mailer, emailCode } from '@app/notifications';
import { Clock, IdGenerator, RequestContext } from '@app/platform';
import { eventMetadata } from '../events/event-metadata';
import { streams, type AuthenticationMethod } from '../events/identity-events';
import { MfaCrypto } from '../mfa/mfa-crypto';
import { accepted, enabledMethods, mfaDecider, MfaState, Proof, remainingRecoveryCodes } from '../mfa/mfa.decider';
import { CodeInvalidError, EMAIL_CODE_RESEND_MS, EMAIL_CODE_TTL_MS } from '../mfa/mfa.service';
import { CommandExecutor } from '../shared/command-executor';
import { SessionStarter, StartedSession } from '../sessions/session-starter';
import { ChallengeMethod, challengeDecider, isOpen } from './challenge.decider';

export const CHALLENGE_TTL_MS = 5 * 60_000;

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
  ) {}

  /** The methods a user can answer a challenge with, empty when no MFA is on. */
  static methodsOf(state: MfaState): ChallengeMethod[] {
    const methods: ChallengeMethod[] = enabledMethods(state);
    if (state.totp.secret && remainingRecoveryCodes(state) > 0) methods.push('recovery_code');
    return methods;
  }

  async issue(challengeId: string, userId: string, methods: ChallengeMethod[], context: RequestContext): Promise<MfaRequired> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString();
    await this.executor.execute(
      streams.challenge(challengeId),
      challengeDecider,
      { kind: 'issue', challenge: { challengeId, userId, methods, expiresAt } },
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
    const userId = (events[0].data as { userId: string }).userId;
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
      const metadata = eventMetadata({ ...context, actor: { type: 'user', id: userId } }, now);

      let succeeded: boolean;
      if (method === 'email') {
        const sent = state.emailCode;
        succeeded =
          sent !== null &&
          sent.expiresAt > now.getTime() &&
          this.crypto.emailCodeCheck(code, (codeId) => `challenge:${challengeId}:${codeId}`)(sent.codeId, sent.codeHash);
      } else {
        const proof: Proof =
          method === 'totp'
            ? { method: 'totp', check: this.crypto.totpCheck(userId, code) }
            : { method: 'recovery_code', check: this.crypto.recoveryCodeCheck(userId, code) };
        const { events } = await this.executor.execute(streams.user(userId), mfaDecider, { kind: 'second_factor', proof }, metadata);
        succeeded = accepted(events);
      }
      const sessionId = this.ids.newId();
      await this.executor.executeLocked(stream, challengeDecider, { kind: 'record', method, succeeded, sessionId }, metadata);
      if (!succeeded) throw new CodeInvalidError();
      return this.sessions.start(sessionId, userId, ['pwd', AMR[method]], context);
    });
  }
}
