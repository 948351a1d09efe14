import { Inject, Injectable } from '@nestjs/common';
import { eventMetadata } from '@app/identity-events';
import { APP_CONFIG, AppConfig, Clock, IdGenerator, RequestContext, Throttle, Throttles } from '@app/platform';
import { clientKey } from '@app/security';
import { isAuthenticationResponse, PasskeyInvalidError, PasskeyMethod } from '../second-factors/passkey/passkey.method';
import { SessionStarter, StartedSession } from '../sessions/session-starter';
import { AccountDirectory } from '../shared/account-directory';
import { FailureBudget } from '../shared/failure-budget';
import { RateLimitedError } from '../shared/rate-limited.error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The account a discoverable passkey names (the user handle set at registration), or null. */
function accountOf(assertion: unknown): string | null {
  if (!isAuthenticationResponse(assertion) || typeof assertion.response.userHandle !== 'string') return null;
  const userId = Buffer.from(assertion.response.userHandle, 'base64url').toString('utf8');
  return UUID.test(userId) ? userId : null;
}

/**
 * Sign-in with a passkey alone: the browser picks a discoverable passkey, which names its account
 * and must verify its user (PIN or biometric), so the session counts two factors (`amr` hwk, mfa).
 * Every refusal reads the same, whether the account exists or not.
 */
@Injectable()
export class PasskeySignIn {
  /** Shares the password sign-in's attempts per client address. */
  private readonly perIp: Throttle;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly passkeys: PasskeyMethod,
    private readonly accounts: AccountDirectory,
    private readonly budget: FailureBudget,
    private readonly sessions: SessionStarter,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    throttles: Throttles,
  ) {
    this.perIp = throttles.create({
      name: 'signin_ip',
      points: config.signInRateLimit.perIpPerMinute,
      durationSeconds: 60,
    });
  }

  options(context: RequestContext) {
    return this.passkeys.begin(null, 'passwordless', context);
  }

  async signIn(assertion: unknown, context: RequestContext): Promise<StartedSession> {
    const rate = await this.perIp.consume(clientKey(context.ip));
    if (!rate.allowed) throw new RateLimitedError(rate.retryAfterSeconds);
    const userId = accountOf(assertion);
    const account = userId ? await this.accounts.credentials(userId) : null;
    if (!userId || !account?.email || account.lockedByAdmin) throw new PasskeyInvalidError();
    const metadata = eventMetadata({ ...context, actor: { type: 'user', id: userId } }, this.clock.now());
    await this.budget.check(
      { userId, email: account.email, factor: 'passkey', purpose: 'sign_in' },
      context,
      async () => {
        const result = await this.passkeys.verifyAssertion(userId, assertion, 'passwordless', metadata);
        return result.accepted
          ? { accepted: true, value: undefined }
          : { accepted: false, error: new PasskeyInvalidError() };
      },
    );
    // A passwordless answer is accepted only with user verification (see PasskeyMethod): two factors.
    return this.sessions.start(this.ids.newId(), userId, ['hwk', 'mfa'], context);
  }
}
