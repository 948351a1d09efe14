import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Mailer, passwordResetLink } from '@app/notifications';
import {
  APP_CONFIG,
  AppConfig,
  Clock,
  DomainError,
  SecureRandom,
  Throttle,
  Throttles,
  type RequestContext,
} from '@app/platform';
import { clientKey, describeUserAgent, IpLocator, PasswordHasher, PasswordPolicy } from '@app/security';
import { eventMetadata, streams } from '@app/identity-events';
import { CodeInvalidError } from '../shared/code-errors';
import { SecondFactorRegistry } from '../second-factors/second-factor-registry';
import { PasswordPolicyError } from '../registering-user/register-user.handler';
import { SessionRevoker } from '../sessions/session-revoker';
import { AccountDirectory } from '../shared/account-directory';
import { AfterAnswer } from '../shared/after-answer';
import { CommandExecutor } from '../shared/command-executor';
import { FailureBudget } from '../shared/failure-budget';
import { RateLimitedError } from '../shared/rate-limited.error';
import { ReadYourWrites } from '../shared/read-your-writes';
import { passwordResetDecider, RESET_TOKEN_TTL_MS, ResetTokenInvalidError } from './password-reset.decider';
import { SessionQueries } from '../querying/session-queries';

/** A code of a method that serves a reset (`totp`, `recovery_code`). */
export type ResetSecondFactor = { method: string; code: string };
type ResetMethod = string;

/** 403 `mfa_required`: the reset also needs one of these (none: only an administrator can help). */
export class ResetNeedsSecondFactorError extends DomainError {
  constructor(methods: ResetMethod[]) {
    super(
      'mfa_required',
      methods.length > 0
        ? 'This account has two-step verification: send a code from the authenticator app or a recovery code with the new password.'
        : 'This account signs in with email codes only, which cannot confirm a reset that came by email: ask an administrator to reset two-step verification.',
      { methods },
    );
  }
}

/** The token in the link: the user id and 32 random bytes; only its SHA-256 is stored. */
const TOKEN_PATTERN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * "Forgot password". A request answers the same 202 at once for any address; the work (look-up,
 * event, mail) happens after the answer, so neither the body nor the timing tells whether the
 * address has an account. Confirming needs the live link and, when the account has a second
 * factor, an app or recovery code (the link only proves the mailbox), so a reset never lowers the
 * account's assurance; it ends every session and (through the reactor) every open challenge.
 */
@Injectable()
export class PasswordResets implements OnApplicationShutdown {
  private readonly logger = new Logger(PasswordResets.name);
  private readonly perIp: Throttle;
  private readonly afterAnswer = new AfterAnswer(this.logger);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountDirectory,
    private readonly executor: CommandExecutor,
    private readonly budget: FailureBudget,
    private readonly registry: SecondFactorRegistry,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly revoker: SessionRevoker,
    private readonly sessionQueries: SessionQueries,
    private readonly readYourWrites: ReadYourWrites,
    private readonly mailer: Mailer,
    private readonly locator: IpLocator,
    private readonly random: SecureRandom,
    private readonly clock: Clock,
    throttles: Throttles,
  ) {
    this.perIp = throttles.create({
      name: 'password_reset_ip',
      points: config.passwordResetRateLimit.perIpPerHour,
      durationSeconds: 3600,
    });
  }

  /** Answers before any look-up: what happens next is the same for every address, seen from outside. */
  async request(email: string, context: RequestContext): Promise<void> {
    const rate = await this.perIp.consume(clientKey(context.ip));
    if (!rate.allowed) throw new RateLimitedError(rate.retryAfterSeconds);
    this.afterAnswer.run('A password reset request', () => this.sendLink(email, context));
  }

  /** Every request answered so far has been handled (for tests and an orderly shutdown). */
  settled(): Promise<void> {
    return this.afterAnswer.settled();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  async confirm(
    token: string,
    newPassword: string,
    secondFactor: ResetSecondFactor | undefined,
    context: RequestContext,
  ): Promise<void> {
    const parsed = TOKEN_PATTERN.exec(token);
    if (!parsed) throw new ResetTokenInvalidError();
    const userId = parsed[1];
    const stream = streams.user(userId);
    const hash = tokenHash(token);
    const position = await this.executor.withLock(stream, async () => {
      const now = this.clock.now();
      const link = await this.executor.load(stream, passwordResetDecider);
      const account = await this.accounts.credentials(userId);
      if (!account?.passwordHash || !account.email || link.userId === null) throw new ResetTokenInvalidError();
      if (link.link?.tokenHash !== hash || link.link.expiresAt <= now.getTime()) throw new ResetTokenInvalidError();
      if (account.lockedByAdmin) throw new DomainError('forbidden', 'This account is locked by an administrator.');

      // The new password first: a refusal here must not spend the second factor's code.
      const sameAsCurrent = await this.hasher.verify(account.passwordHash, newPassword);
      const reasons = this.policy.check(newPassword, { email: account.email, sameAsCurrent });
      if (reasons.length > 0) throw new PasswordPolicyError(reasons);

      const metadata = eventMetadata({ ...context, actor: { type: 'user', id: userId } }, now);
      const used = await this.proveSecondFactor(userId, account.email, secondFactor, context, metadata);
      const newPasswordHash = await this.hasher.hash(newPassword);
      const { appended } = await this.executor.executeLocked(
        stream,
        passwordResetDecider,
        { kind: 'complete', tokenHash: hash, newPasswordHash, secondFactor: used, now: this.clock.now() },
        metadata,
      );
      return appended?.position;
    });
    // Whoever had a session (maybe the one who took the password) is signed out everywhere.
    const sessions = await this.sessionQueries.notRevoked(userId);
    const revoked = await this.revoker.revoke(
      sessions.map((s) => s.id),
      'password_reset',
      { ...context, actor: { type: 'user', id: userId } },
    );
    await this.readYourWrites.settle(revoked ?? position);
  }

  private async sendLink(email: string, context: RequestContext): Promise<void> {
    const account = await this.accounts.findByEmail(email);
    if (!account?.userId || !account.email || account.lockedByAdmin) return;
    const token = `${account.userId}.${this.random.bytes(32).toString('base64url')}`;
    const now = this.clock.now();
    const metadata = eventMetadata(context, now);
    const { events } = await this.executor.execute(
      streams.user(account.userId),
      passwordResetDecider,
      { kind: 'request', tokenHash: tokenHash(token), now },
      metadata,
    );
    if (events.length === 0) return; // one mail a minute per account
    const statuses = await this.registry.statuses(account.userId);
    const appOn = statuses.some(({ method, status }) => status.on && method.uses.includes('password_reset'));
    const device = describeUserAgent(context.userAgent ?? null);
    await this.mailer.send({
      to: account.email,
      ...passwordResetLink({
        email: account.email,
        link: `${this.config.publicUrl}/account/reset#token=${token}`,
        expiresInMinutes: RESET_TOKEN_TTL_MS / 60_000,
        // What the link will ask for besides itself: a code of a method that serves a reset, else only an administrator can help.
        secondFactor: appOn ? 'app' : SecondFactorRegistry.anyOn(statuses) ? 'administrator' : null,
        occurredAt: now.toISOString(),
        browser: device.browser,
        os: device.os,
        ip: context.ip,
        location: this.locator.locate(context.ip),
      }),
    });
  }

  /** What the reset needs besides the link, checked on the account's one failure budget. */
  private async proveSecondFactor(
    userId: string,
    email: string,
    secondFactor: ResetSecondFactor | undefined,
    context: RequestContext,
    metadata: ReturnType<typeof eventMetadata>,
  ): Promise<ResetMethod | null> {
    const statuses = await this.registry.statuses(userId);
    if (!SecondFactorRegistry.anyOn(statuses)) return null;
    const methods = SecondFactorRegistry.offered(statuses, 'password_reset');
    const method =
      secondFactor && methods.includes(secondFactor.method) ? this.registry.get(secondFactor.method) : null;
    if (!secondFactor || !method) throw new ResetNeedsSecondFactorError(methods);
    const subject = { userId, email, factor: method.factor, purpose: 'reset_password' as const };
    return this.budget.check(subject, context, async () => {
      const proof = await method.prove({
        userId,
        code: secondFactor.code,
        use: 'password_reset',
        now: this.clock.now(),
        metadata,
        locked: true,
      });
      return proof.accepted
        ? { accepted: true, value: secondFactor.method }
        : { accepted: false, error: new CodeInvalidError() };
    });
  }
}
