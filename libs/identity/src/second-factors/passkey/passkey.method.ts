import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { eventMetadata, streams, type EventMetadata, type PasskeyChallengePurpose } from '@app/identity-events';
import {
  APP_CONFIG,
  AppConfig,
  Clock,
  DomainError,
  RequestContext,
  SecureRandom,
  Throttle,
  Throttles,
} from '@app/platform';
import { clientKey } from '@app/security';
import { RateLimitedError } from '../../shared/rate-limited.error';
import type { Principal } from '../../sessions/principal';
import { CommandExecutor } from '../../shared/command-executor';
import { ReadYourWrites } from '../../shared/read-your-writes';
import type { FactorStatus, FactorUse, ProofRequest, ProofResult, SecondFactorMethod } from '../second-factor-method';
import { PASSKEY_CHALLENGE_TTL_MS, passkeyChallengeModel } from './passkey-challenge.model';
import { decidePasskeyAssertion, findPasskey, passkeyModel, PasskeyState } from './passkey.model';

const PURPOSE: Record<FactorUse | 'recovery_codes', PasskeyChallengePurpose> = {
  sign_in: 'sign_in',
  step_up: 'step_up',
  password_reset: 'sign_in',
  recovery_codes: 'step_up',
};

export class PasskeyInvalidError extends DomainError {
  constructor() {
    super('passkey_invalid', 'The passkey could not be verified: try again, or use another way in.');
  }
}

/** A passkey answer as the browser sends it (`@simplewebauthn/browser`), checked for shape only. */
export function isAuthenticationResponse(value: unknown): value is AuthenticationResponseJSON {
  if (!value || typeof value !== 'object') return false;
  const { id, rawId, type, response } = value as Record<string, unknown>;
  if (
    typeof id !== 'string' ||
    typeof rawId !== 'string' ||
    type !== 'public-key' ||
    !response ||
    typeof response !== 'object'
  )
    return false;
  const { clientDataJSON, authenticatorData, signature } = response as Record<string, unknown>;
  return typeof clientDataJSON === 'string' && typeof authenticatorData === 'string' && typeof signature === 'string';
}

export function isRegistrationResponse(value: unknown): value is RegistrationResponseJSON {
  if (!value || typeof value !== 'object') return false;
  const { id, rawId, type, response } = value as Record<string, unknown>;
  if (
    typeof id !== 'string' ||
    typeof rawId !== 'string' ||
    type !== 'public-key' ||
    !response ||
    typeof response !== 'object'
  )
    return false;
  const { clientDataJSON, attestationObject } = response as Record<string, unknown>;
  return typeof clientDataJSON === 'string' && typeof attestationObject === 'string';
}

/** The challenge the browser signed, from the client data (unverified until the signature is). */
function signedChallenge(clientDataJSON: string): string | null {
  try {
    const challenge: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')).challenge;
    return typeof challenge === 'string' && challenge.length <= 512 ? challenge : null;
  } catch {
    return null;
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Passkeys (WebAuthn, `@simplewebauthn/server`): a second factor at sign-in and for step-up, and a
 * way to sign in without a password (see PasskeySignIn). Challenges are random, single-use and
 * short-lived, in streams of their own; counters and backup flags are recorded with each use.
 */
@Injectable()
export class PasskeyMethod implements SecondFactorMethod {
  readonly id = 'passkey';
  readonly amr = 'hwk';
  readonly factor = 'passkey';
  readonly uses = ['sign_in', 'step_up'] as const;
  /** Each challenge is an event: anyone may ask for passwordless options, so asking is throttled per client address. */
  private readonly challengesPerIp: Throttle;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    private readonly random: SecureRandom,
    private readonly clock: Clock,
    throttles: Throttles,
  ) {
    this.challengesPerIp = throttles.create({
      name: 'passkey_challenge_ip',
      points: config.signInRateLimit.perIpPerMinute,
      durationSeconds: 60,
    });
  }

  state(userId: string): Promise<PasskeyState> {
    return this.executor.load(streams.user(userId), passkeyModel);
  }

  async status(userId: string): Promise<FactorStatus> {
    const state = await this.state(userId);
    return { on: state.passkeys.length > 0, available: state.passkeys.length > 0, setUpAt: state.changedAt };
  }

  startAnswer(userId: string, use: FactorUse, context: RequestContext): Promise<object> {
    return this.begin(userId, PURPOSE[use], context);
  }

  /** The options for `navigator.credentials.get()`: the account's passkeys (none: any, passwordless) and a new challenge. */
  async begin(userId: string | null, purpose: PasskeyChallengePurpose, context: RequestContext) {
    const passkeys = userId ? (await this.state(userId)).passkeys : [];
    const challenge = await this.issueChallenge(purpose, userId, context);
    return generateAuthenticationOptions({
      rpID: this.config.webauthn.rpId,
      challenge,
      allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })),
      // Alone (passwordless) a passkey must verify its user; as a second factor possession is the factor.
      userVerification: purpose === 'passwordless' ? 'required' : 'preferred',
      timeout: PASSKEY_CHALLENGE_TTL_MS,
    });
  }

  async prove(request: ProofRequest): Promise<ProofResult> {
    return this.verifyAssertion(request.userId, request.assertion, PURPOSE[request.use], request.metadata, request);
  }

  /**
   * Checks an assertion for an account: the challenge is used up first (so a failed answer cannot
   * be retried with it), the signature verified by the library against the stored key, origin and
   * RP id, then the outcome decided and recorded on the user stream.
   */
  async verifyAssertion(
    userId: string,
    assertion: unknown,
    purpose: PasskeyChallengePurpose,
    metadata: EventMetadata,
    callbacks: Pick<ProofRequest, 'whenAccepted' | 'whenRefused' | 'locked'> = {},
  ): Promise<ProofResult> {
    const response = isAuthenticationResponse(assertion) ? assertion : null;
    const challenge = response ? signedChallenge(response.response.clientDataJSON) : null;
    const challengeUsed = challenge !== null && (await this.useChallenge(challenge, purpose, userId, metadata));
    const passkey = response ? findPasskey(await this.state(userId), response.id) : null;
    let verified: { counter: number; backedUp: boolean; userVerified: boolean } | null = null;
    if (response && challenge && challengeUsed && passkey) {
      try {
        const result = await verifyAuthenticationResponse({
          response,
          expectedChallenge: challenge,
          expectedOrigin: this.config.webauthn.origins,
          expectedRPID: this.config.webauthn.rpId,
          // The counter rule is the decision's (below, on the state as it is when recorded, and
          // recorded as `counter`): the library is given 0 so it only checks the signature.
          credential: {
            id: passkey.credentialId,
            publicKey: Buffer.from(passkey.publicKey, 'base64url'),
            counter: 0,
            transports: passkey.transports,
          },
          requireUserVerification: purpose === 'passwordless',
        });
        if (result.verified) {
          const info = result.authenticationInfo;
          verified = { counter: info.newCounter, backedUp: info.credentialBackedUp, userVerified: info.userVerified };
        }
      } catch {
        verified = null; // a wrong origin, RP id, signature or counter: refused and recorded below
      }
    }
    const { result, appended } = await this.executor.decideWithResult(
      streams.user(userId),
      passkeyModel,
      decidePasskeyAssertion,
      {
        credentialId: passkey ? passkey.credentialId : null,
        verified,
        purpose,
        whenAccepted: () => callbacks.whenAccepted?.({ codeId: null }) ?? [],
        whenRefused: () => callbacks.whenRefused?.() ?? [],
      },
      metadata,
      { locked: callbacks.locked },
    );
    return { accepted: result, position: appended?.position };
  }

  /** Step 1 of adding a passkey: options for `navigator.credentials.create()` (a discoverable credential). */
  async registrationOptions(principal: Principal, context: RequestContext) {
    const state = await this.state(principal.userId);
    const challenge = await this.issueChallenge('register', principal.userId, context);
    return generateRegistrationOptions({
      rpName: this.config.webauthn.rpName,
      rpID: this.config.webauthn.rpId,
      userName: principal.email,
      userID: Buffer.from(principal.userId, 'utf8'),
      challenge,
      attestationType: 'none',
      excludeCredentials: state.passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      timeout: PASSKEY_CHALLENGE_TTL_MS,
    });
  }

  /** Step 2: the browser's answer, verified, adds the passkey under a name. */
  async register(
    principal: Principal,
    response: unknown,
    name: string,
    context: RequestContext,
  ): Promise<{ id: string; name: string }> {
    const metadata = eventMetadata(context, this.clock.now());
    const challenge = isRegistrationResponse(response) ? signedChallenge(response.response.clientDataJSON) : null;
    if (
      !isRegistrationResponse(response) ||
      !challenge ||
      !(await this.useChallenge(challenge, 'register', principal.userId, metadata))
    ) {
      throw new PasskeyInvalidError();
    }
    let registered;
    try {
      registered = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.config.webauthn.origins,
        expectedRPID: this.config.webauthn.rpId,
        requireUserVerification: false,
      });
    } catch {
      throw new PasskeyInvalidError();
    }
    if (!registered.verified) throw new PasskeyInvalidError();
    const info = registered.registrationInfo;
    const passkey = {
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name,
    };
    await this.run(principal.userId, { kind: 'register', passkey }, metadata);
    return { id: passkey.credentialId, name };
  }

  async rename(principal: Principal, credentialId: string, name: string, context: RequestContext): Promise<void> {
    await this.run(principal.userId, { kind: 'rename', credentialId, name }, eventMetadata(context, this.clock.now()));
  }

  async remove(principal: Principal, credentialId: string, context: RequestContext): Promise<void> {
    await this.run(principal.userId, { kind: 'remove', credentialId }, eventMetadata(context, this.clock.now()));
  }

  private async run(
    userId: string,
    command: Parameters<typeof passkeyModel.decide>[0],
    metadata: EventMetadata,
  ): Promise<void> {
    const { appended } = await this.executor.execute(streams.user(userId), passkeyModel, command, metadata);
    await this.readYourWrites.settle(appended?.position);
  }

  /** 32 random bytes; the options carry them base64url-encoded, which is what the browser signs and echoes. */
  private async issueChallenge(
    purpose: PasskeyChallengePurpose,
    userId: string | null,
    context: RequestContext,
  ): Promise<Uint8Array<ArrayBuffer>> {
    const rate = await this.challengesPerIp.consume(clientKey(context.ip));
    if (!rate.allowed) throw new RateLimitedError(rate.retryAfterSeconds);
    const bytes = this.random.bytes(32);
    const challenge = bytes.toString('base64url');
    const now = this.clock.now();
    await this.executor.execute(
      streams.passkeyChallenge(sha256(challenge)),
      passkeyChallengeModel,
      {
        kind: 'issue',
        challengeHash: sha256(challenge),
        purpose,
        userId,
        expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_TTL_MS),
      },
      eventMetadata(context, now),
    );
    return Uint8Array.from(bytes);
  }

  /** True when this answer used the challenge up (it was issued for this, unexpired and unused). */
  private async useChallenge(
    challenge: string,
    purpose: PasskeyChallengePurpose,
    userId: string | null,
    metadata: EventMetadata,
  ): Promise<boolean> {
    const { events } = await this.executor.execute(
      streams.passkeyChallenge(sha256(challenge)),
      passkeyChallengeModel,
      { kind: 'use', purpose, userId, now: this.clock.now() },
      metadata,
    );
    return events.length > 0;
  }
}
