import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { emailCode, Mailer } from '@app/notifications';
import {
  APP_CONFIG,
  AppConfig,
  Clock,
  DomainError,
  IdGenerator,
  Throttle,
  Throttles,
  type RequestContext,
} from '@app/platform';
import { clientKey, PasswordHasher, PasswordPolicy } from '@app/security';
import { eventMetadata, IdentityEvent, streams, type RegistrationRequestedData } from '@app/identity-events';
import { MfaCrypto } from '../shared/mfa-crypto';
import { AccountDirectory } from '../shared/account-directory';
import { AfterAnswer } from '../shared/after-answer';
import { CommandExecutor } from '../shared/command-executor';
import { RateLimitedError } from '../shared/rate-limited.error';
import { ReadYourWrites } from '../shared/read-your-writes';
import { emailClaimDecider, normalizeEmail } from './email-claim.decider';
import { EmailIndex } from '../shared/email-index';
import {
  pendingRegistrationDecider,
  REGISTRATION_RESEND_COOLDOWN_MS,
  REGISTRATION_TTL_MS,
  RegistrationCodeInvalidError,
  RegistrationExpiredError,
} from './pending-registration.decider';
import { checkNewAccount } from './register-user.handler';
import { registrationDecider } from './registration.decider';

export interface RegistrationStarted {
  registrationId: string;
  expiresAt: string;
  resendAvailableAt: string;
}

/**
 * Sign-up that proves the address. The answer is the same 202 whether or not the address has an
 * account: the password is hashed either way, a sign-up is recorded either way, and the only mail
 * (a code to a free address; the notice to the owner of a taken one, sent by the notifications
 * reactor) leaves after the answer. The account, and the claim on its address, exist only once the
 * code is confirmed, so an unconfirmed sign-up blocks nobody.
 */
@Injectable()
export class SignUps implements OnApplicationShutdown {
  private readonly logger = new Logger(SignUps.name);
  private readonly afterAnswer = new AfterAnswer(this.logger);
  /** Sign-ups per client address, shared by every API process (the same budget as before). */
  private readonly perIp: Throttle;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly accounts: AccountDirectory,
    private readonly index: EmailIndex,
    private readonly executor: CommandExecutor,
    private readonly crypto: MfaCrypto,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly mailer: Mailer,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly readYourWrites: ReadYourWrites,
    throttles: Throttles,
  ) {
    this.perIp = throttles.create({
      name: 'signup_ip',
      points: config.signUpRateLimit.perIpPerHour,
      durationSeconds: 3600,
    });
  }

  async request(rawEmail: string, password: string, context: RequestContext): Promise<RegistrationStarted> {
    const rate = await this.perIp.consume(clientKey(context.ip));
    if (!rate.allowed) throw new RateLimitedError(rate.retryAfterSeconds);
    const email = rawEmail.trim();
    checkNewAccount(this.policy, email, password);

    // The same argon2 work for a taken address: its hash is simply not kept.
    const passwordHash = await this.hasher.hash(password);
    const emailNormalized = normalizeEmail(email);
    const existing = await this.accounts.findByEmailDigest(this.index.digestOf(emailNormalized));
    const now = this.clock.now();
    const registrationId = this.ids.newId();
    const codeId = this.ids.newId();
    const expiresAt = new Date(now.getTime() + REGISTRATION_TTL_MS).toISOString();
    const mailed = existing ? null : this.crypto.newEmailCode(codeKey(registrationId, codeId));
    const registration: RegistrationRequestedData = {
      registrationId,
      email,
      emailNormalized,
      ...(existing ? {} : { passwordHash }),
      existingUserId: existing?.userId ?? null,
      expiresAt,
    };
    await this.executor.execute(
      streams.registration(registrationId),
      pendingRegistrationDecider,
      { kind: 'request', registration, code: { codeId, codeHash: mailed?.codeHash ?? null } },
      eventMetadata(context, now),
    );
    if (mailed) this.mailCode(email, mailed.code);
    return {
      registrationId,
      expiresAt,
      resendAvailableAt: new Date(now.getTime() + REGISTRATION_RESEND_COOLDOWN_MS).toISOString(),
    };
  }

  /** A new code (the old one stops working), at most once a minute. */
  async resend(registrationId: string, context: RequestContext): Promise<{ resendAvailableAt: string }> {
    const stream = streams.registration(registrationId);
    return this.executor.withLock(stream, async () => {
      const now = this.clock.now();
      const state = await this.executor.load(stream, pendingRegistrationDecider);
      if (!state.registration) throw new DomainError('not_found', 'No such sign-up.');
      const codeId = this.ids.newId();
      const mailed = state.registration.existingUserId
        ? null
        : this.crypto.newEmailCode(codeKey(registrationId, codeId));
      const { events } = await this.executor.executeLocked(
        stream,
        pendingRegistrationDecider,
        { kind: 'resend', codeId, codeHash: mailed?.codeHash ?? null, now },
        eventMetadata(context, now),
      );
      if (events.some((event) => event.type === IdentityEvent.RegistrationExpired))
        throw new RegistrationExpiredError();
      if (mailed) this.mailCode(state.registration.email, mailed.code);
      return { resendAvailableAt: new Date(now.getTime() + REGISTRATION_RESEND_COOLDOWN_MS).toISOString() };
    });
  }

  /**
   * The code proves the address: the claim on it is taken now, then the account is created. The
   * user id is the registration id, so a confirmation retried after a crash finishes the same account.
   */
  async confirm(registrationId: string, code: string, context: RequestContext): Promise<{ userId: string }> {
    const stream = streams.registration(registrationId);
    const userId = registrationId;
    const position = await this.executor.withLock(stream, async () => {
      const now = this.clock.now();
      const state = await this.executor.load(stream, pendingRegistrationDecider);
      if (!state.registration) throw new RegistrationCodeInvalidError();
      const matches = this.crypto.emailCodeCheck(code, (codeId) => codeKey(registrationId, codeId));
      const metadata = eventMetadata(context, now);
      const registration = state.registration;
      const right = state.code?.codeHash != null && matches(state.code.codeId, state.code.codeHash);
      if (right && registration.passwordHash) {
        await this.createAccount(userId, registration, { ...metadata, actor: { type: 'user', id: userId } });
      }
      const { events, appended } = await this.executor.executeLocked(
        stream,
        pendingRegistrationDecider,
        { kind: 'answer', matches, userId, now },
        metadata,
      );
      if (events.some((event) => event.type === IdentityEvent.RegistrationExpired))
        throw new RegistrationExpiredError();
      if (!events.some((event) => event.type === IdentityEvent.RegistrationConfirmed))
        throw new RegistrationCodeInvalidError();
      return appended?.position;
    });
    await this.readYourWrites.settle(position);
    return { userId };
  }

  settled(): Promise<void> {
    return this.afterAnswer.settled();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  /** Claims the address, then writes the account; each step is a no-op when already done. */
  private async createAccount(
    userId: string,
    registration: RegistrationRequestedData,
    metadata: ReturnType<typeof eventMetadata>,
  ): Promise<void> {
    const guard = streams.emailGuard(this.index.digestOf(registration.emailNormalized));
    const claim = await this.executor.load(guard, emailClaimDecider);
    if (claim.claimedBy !== userId) {
      // Someone proved the same address first (or an operator created it meanwhile): the execute
      // refuses with email_taken, unless that claim was left by a crash long enough ago.
      const claimantRegistered = claim.claimedBy !== null && (await this.accounts.claimantRegistered(guard));
      await this.executor.execute(
        guard,
        emailClaimDecider,
        { userId, now: new Date(metadata.occurredAt), claimantRegistered },
        metadata,
      );
    }
    const account = await this.accounts.credentials(userId);
    if (account) return;
    await this.executor.execute(
      streams.user(userId),
      registrationDecider,
      {
        userId,
        email: registration.email,
        emailNormalized: registration.emailNormalized,
        passwordHash: registration.passwordHash!,
        roles: [],
        emailVerifiedBy: 'code',
      },
      metadata,
    );
  }

  private mailCode(email: string, code: string): void {
    this.afterAnswer.run('Mailing a sign-up code', async () => {
      await this.mailer.send({
        to: email,
        ...emailCode({ email, code, purpose: 'verify_email', expiresInMinutes: REGISTRATION_TTL_MS / 60_000 }),
      });
    });
  }
}

/** Ties a code to its sign-up and to the mail it was sent in. */
const codeKey = (registrationId: string, codeId: string) => `registration:${registrationId}:${codeId}`;
