import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '../browser/passkey';
import { requestJson, requestNothing } from './http';

/** Sign-in and the current session (API.md, "Sign-up and sign-in"). */

export type SecondFactorMethod = 'totp' | 'email' | 'recovery_code' | 'passkey';

/** The methods answered with a typed code (a passkey answers with an assertion). */
export type CodeMethod = Exclude<SecondFactorMethod, 'passkey'>;

export interface AuthenticatedSession {
  status: 'authenticated';
  token: string;
  session: { id: string; expiresAt: string };
}

export interface MfaChallenge {
  status: 'mfa_required';
  challengeId: string;
  methods: SecondFactorMethod[];
  expiresAt: string;
}

export type SignInResult = AuthenticatedSession | MfaChallenge;

export interface CurrentSession {
  session: { id: string; createdAt: string; expiresAt: string; amr: string[] };
  user: { id: string; email: string; roles: string[] };
}

export function signIn(email: string, password: string): Promise<SignInResult> {
  return requestJson('/v1/sessions', { method: 'POST', body: { email, password }, anonymous: true });
}

/** 429 with Retry-After inside the 60-second cooldown. */
export function sendChallengeEmailCode(challengeId: string): Promise<{ resendAvailableAt: string }> {
  return requestJson(`/v1/sessions/challenges/${encodeURIComponent(challengeId)}/email-code`, {
    method: 'POST',
    anonymous: true,
  });
}

export function answerChallenge(challengeId: string, method: CodeMethod, code: string): Promise<AuthenticatedSession> {
  return requestJson(`/v1/sessions/challenges/${encodeURIComponent(challengeId)}`, {
    method: 'POST',
    body: { method, code },
    anonymous: true,
  });
}

/** Options for navigator.credentials.get(), when the challenge offers `passkey`. */
export function fetchChallengePasskeyOptions(challengeId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return requestJson(`/v1/sessions/challenges/${encodeURIComponent(challengeId)}/passkey-options`, {
    method: 'POST',
    anonymous: true,
  });
}

export function answerChallengeWithPasskey(
  challengeId: string,
  assertion: AuthenticationResponseJSON,
): Promise<AuthenticatedSession> {
  return requestJson(`/v1/sessions/challenges/${encodeURIComponent(challengeId)}`, {
    method: 'POST',
    body: { method: 'passkey', assertion },
    anonymous: true,
  });
}

/** Passwordless: options for a discoverable passkey that verifies its user (no account named). */
export function fetchPasskeySignInOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return requestJson('/v1/sessions/passkey/options', { method: 'POST', anonymous: true });
}

export function signInWithPasskey(assertion: AuthenticationResponseJSON): Promise<AuthenticatedSession> {
  return requestJson('/v1/sessions/passkey', { method: 'POST', body: { assertion }, anonymous: true });
}

export function fetchCurrentSession(signal?: AbortSignal): Promise<CurrentSession> {
  return requestJson('/v1/sessions/current', { signal });
}

/** Logout: the server ends the session, so the token is useless even if it leaked. */
export function endCurrentSession(): Promise<void> {
  return requestNothing('/v1/sessions/current', { method: 'DELETE' });
}
