import { Inject, Logger, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  APP_CONFIG,
  AppConfig,
  Clock,
  DomainError,
  IdGenerator,
  ServiceOverloadedError,
  Throttle,
  Throttles,
} from '@app/platform';
import { clientKey, PasswordHasher } from '@app/security';
import { eventMetadata, IdentityEvent, streams } from '@app/identity-events';
import { CredentialsState, credentialsDecider } from '../changing-password/credentials.decider';
import { normalizeEmail } from '../registering-user/email-claim.decider';
import { EmailIndex } from '../shared/email-index';
import { AccountDirectory } from '../shared/account-directory';
import { CommandExecutor } from '../shared/command-executor';
import { RateLimitedError } from '../shared/rate-limited.error';
import { MfaRequired, SecondFactorService } from '../second-factor/second-factor.service';
import { SessionStarter } from '../sessions/session-starter';
import { signInAttemptsDecider } from './sign-in-attempts.decider';
import { SignInCommand, SignInResult } from './sign-in.command';

export class InvalidCredentialsError extends DomainError {
  constructor() {
    // One answer for a wrong password, an unknown address and a locked account: no enumeration.
    super('invalid_credentials', 'The email address or password is not correct.');
  }
}

@Injectable()
export class SignInHandler {
  private readonly logger = new Logger(SignInHandler.name);
  /** Attempts per client address, shared by every API process (the read store's database). */
  private readonly perIp: Throttle;
  private dummyHash: Promise<string> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountDirectory,
    private readonly index: EmailIndex,
    private readonly executor: CommandExecutor,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly sessions: SessionStarter,
    private readonly secondFactor: SecondFactorService,
    throttles: Throttles,
  ) {
    this.perIp = throttles.create({
      name: 'signin_ip',
      points: config.signInRateLimit.perIpPerMinute,
      durationSeconds: 60,
    });
  }

  async execute(command: SignInCommand): Promise<SignInResult | MfaRequired> {
    const { context } = command;
    const ipKey = clientKey(context.ip);
    const rate = await this.perIp.consume(ipKey);
    if (!rate.allowed) throw new RateLimitedError(rate.retryAfterSeconds);

    const digest = this.index.digestOf(normalizeEmail(command.email));
    // One attempt on an address at a time in this process: parallel guesses cannot all be checked
    // before the lock that the first few of them trigger (the budget is spent in order).
    const { account, hash, methods, accountVersion, sessionId, metadata } = await this.executor.withLock(
      streams.signInAttempts(digest),
      async () => {
        let account: CredentialsState | null;
        let hash: string;
        let passwordValid: boolean;
        try {
          account = await this.accounts.findByEmailDigest(digest);
          // The same argon2 work whether or not the account exists, so timing tells nothing.
          hash = account?.passwordHash ?? (await this.hashOfNothing());
          passwordValid = (await this.hasher.verify(hash, command.password)) && account !== null;
        } catch (error) {
          // The hasher refused (overload): the password was never checked, so this is not an attempt.
          // Nothing is recorded (no LoginFailed, no lockout count) and the per-IP attempt is given back.
          if (error instanceof ServiceOverloadedError) await this.perIp.refund(ipKey);
          throw error;
        }

        const now = this.clock.now();
        const sessionId = this.ids.newId();
        const secondStep = account?.userId
          ? await this.secondFactor.secondStepOf(account)
          : { methods: [], accountVersion: '' };
        const methods = secondStep.methods;
        const actor = account?.userId ? { type: 'user' as const, id: account.userId } : context.actor;
        const metadata = eventMetadata({ ...context, actor }, now);
        const attempt = await this.executor.executeLocked(
          streams.signInAttempts(digest),
          signInAttemptsDecider,
          {
            userId: account?.userId ?? null,
            passwordValid,
            sessionId,
            secondFactorRequired: methods.length > 0,
            lockedByAdmin: account?.lockedByAdmin ?? false,
            now,
            policy: this.config.lockout,
          },
          metadata,
        );
        if (!attempt.events.some((e) => e.type === IdentityEvent.LoginSucceeded) || !account?.userId) {
          throw new InvalidCredentialsError();
        }
        // What this password proved (secondStep.accountVersion): the challenge dies if the account changes before it is answered.
        return {
          account: account as CredentialsState & { userId: string },
          hash,
          methods,
          accountVersion: secondStep.accountVersion,
          sessionId,
          metadata,
        };
      },
    );
    if (this.hasher.needsRehash(hash)) await this.rehash(account.userId, hash, command.password, metadata);
    if (methods.length > 0) return this.secondFactor.issue(sessionId, account.userId, methods, accountVersion, context);
    return this.sessions.start(sessionId, account.userId, ['pwd'], context);
  }

  /** A hash of a random secret at the current parameters: verified against for unknown addresses. */
  private hashOfNothing(): Promise<string> {
    if (!this.dummyHash) {
      const pending = this.hasher.hash(randomBytes(32).toString('hex'));
      this.dummyHash = pending;
      // Not kept when it failed (e.g. refused under overload): the next sign-in makes it again.
      pending.catch(() => {
        if (this.dummyHash === pending) this.dummyHash = undefined;
      });
    }
    return this.dummyHash;
  }

  /** OWASP: upgrade a hash made with weaker parameters while the plaintext is at hand. */
  private async rehash(
    userId: string,
    currentHash: string,
    password: string,
    metadata: ReturnType<typeof eventMetadata>,
  ) {
    try {
      const newPasswordHash = await this.hasher.hash(password);
      await this.executor.execute(
        streams.user(userId),
        credentialsDecider,
        { kind: 'rehash', expectedCurrentHash: currentHash, newPasswordHash },
        metadata,
      );
    } catch (error) {
      this.logger.warn(`Could not rehash the password of user ${userId}: ${String(error)}`);
    }
  }
}
