import { requestJson, requestNothing } from './http';

/** Sign-in and the current session (API.md, "Sign-up and sign-in"). */

export type SecondFactorMethod = 'totp' | 'email' | 'recovery_code';

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

export function answerChallenge(
  challengeId: string,
  method: SecondFactorMethod,
  code: string,
): Promise<AuthenticatedSession> {
  return requestJson(`/v1/sessions/challenges/${encodeURIComponent(challengeId)}`, {
    method: 'POST',
    body: { method, code },
    anonymous: true,
  });
}

export function fetchCurrentSession(signal?: AbortSignal): Promise<CurrentSession> {
  return requestJson('/v1/sessions/current', { signal });
}

/** Logout: the server ends the session, so the token is useless even if it leaked. */
export function endCurrentSession(): Promise<void> {
  return requestNothing('/v1/sessions/current', { method: 'DELETE' });
}
