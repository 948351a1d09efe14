import type { CodeMethod, SecondFactorMethod } from '../../api/auth';

/** Words and input rules for each second-factor method the API can offer. */

export const RESEND_COOLDOWN_SECONDS = 60;

export const METHOD_LABELS: Record<SecondFactorMethod, string> = {
  totp: 'Authenticator app',
  email: 'Email code',
  recovery_code: 'Recovery code',
  passkey: 'Passkey',
};

/** The label of the code field, per method: it says where the code comes from. */
export const METHOD_CODE_LABELS: Record<SecondFactorMethod, string> = {
  totp: 'Code from your authenticator app',
  email: 'Code from the email',
  recovery_code: 'Recovery code',
  passkey: 'Passkey',
};

export const METHOD_HINTS: Record<SecondFactorMethod, string> = {
  totp: 'Enter the 6-digit code your authenticator app shows now.',
  email: 'Send a 6-digit code to your email address, then enter it below.',
  recovery_code: 'Enter one of the recovery codes you saved. Each works once.',
  passkey: 'Use your passkey: your browser asks for your fingerprint, face, PIN or security key.',
};

/**
 * A passkey first (one touch, nothing to type), then the app: it needs no mail round trip; a
 * recovery code is the last resort.
 */
const PREFERENCE: SecondFactorMethod[] = ['passkey', 'totp', 'email', 'recovery_code'];

export function preferredMethod(methods: SecondFactorMethod[]): SecondFactorMethod | null {
  return PREFERENCE.find((method) => methods.includes(method)) ?? methods[0] ?? null;
}

/** Every method but the passkey is answered with a typed code. */
export function isCodeMethod(method: SecondFactorMethod): method is CodeMethod {
  return method !== 'passkey';
}

export function isNumericMethod(method: SecondFactorMethod): boolean {
  return method === 'totp' || method === 'email';
}

/** Digits only, at most six: pasted "123 456" or "123-456" becomes "123456". */
export function normalizeCode(method: SecondFactorMethod, input: string): string {
  return isNumericMethod(method) ? input.replace(/\D/g, '').slice(0, 6) : input;
}

export function isCodeComplete(method: SecondFactorMethod, code: string): boolean {
  if (!isCodeMethod(method)) return false;
  return isNumericMethod(method) ? /^\d{6}$/.test(code) : code.trim().length > 0;
}

/**
 * Seconds until a resend is allowed, from the server's `resendAvailableAt` just after a send. It is
 * never more than the documented 60 seconds then: a longer wait, or a time already past, means the
 * two clocks disagree, and the countdown shows the 60 seconds instead of the skew.
 */
export function secondsUntil(iso: string | undefined, now = Date.now()): number {
  const at = iso ? Date.parse(iso) : Number.NaN;
  const seconds = Math.ceil((at - now) / 1000);
  return Number.isFinite(seconds) && seconds > 0 && seconds <= RESEND_COOLDOWN_SECONDS
    ? seconds
    : RESEND_COOLDOWN_SECONDS;
}

/**
 * What the sign-in page says when the API ended the session in use (the 401's `reason`, told
 * only to the holder of that token). Anything else, or no reason, gets the plain last line.
 */
export const SESSION_ENDED_MESSAGES: Record<string, string> = {
  mfa_reset:
    'You were signed out because an administrator reset your two-step verification. Sign in again and set it up.',
  password_changed:
    'You were signed out because your password was changed. Sign in with the new one. If you did not change it, use “Forgot password?” now.',
  password_reset:
    'You were signed out because your password was reset from an emailed link. Sign in with the new one. If that was not you, use “Forgot password?” now.',
  signed_out_elsewhere: 'You were signed out from another device. Sign in again to continue.',
  signed_out: 'You signed out of this session in another window. Sign in again to continue.',
  admin_revoked: 'An administrator signed you out. Sign in again to continue.',
};
export const SESSION_ENDED_FALLBACK = 'Your session has ended. Sign in again to continue.';

export function sessionEndedMessage(reason: string | null): string {
  return (reason && SESSION_ENDED_MESSAGES[reason]) || SESSION_ENDED_FALLBACK;
}

/**
 * Word from the sign-up page to the sign-in page: the new account's address, kept in memory only
 * (not in the URL, nor in history state, which outlives the page): read once, gone after a reload.
 */
let registeredEmail: string | null = null;

export function noteRegistered(email: string): void {
  registeredEmail = email;
}

/** The address just registered, once; null from then on. */
export function takeRegisteredEmail(): string | null {
  const email = registeredEmail;
  registeredEmail = null;
  return email;
}
