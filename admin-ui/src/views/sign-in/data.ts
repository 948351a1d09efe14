import type { CodeMethod, SecondFactorMethod } from '../../api/auth';

/** Words and input rules for each second-factor method the API can offer. */

export const RESEND_COOLDOWN_SECONDS = 60;

export const METHOD_LABELS: Record<SecondFactorMethod, string> = {
  totp: 'Authenticator app',
  email: 'Email code',
  recovery_code: 'Recovery code',
  passkey: 'Passkey',
};

export const METHOD_HINTS: Record<SecondFactorMethod, string> = {
  totp: 'Enter the 6-digit code your authenticator app shows now.',
  email: 'Send a code to your email address, then enter the 6 digits.',
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

/** Digits only, at most six: pasted "123 456" becomes "123456". */
export function normalizeCode(method: SecondFactorMethod, input: string): string {
  return isNumericMethod(method) ? input.replace(/\D/g, '').slice(0, 6) : input;
}

export function isCodeComplete(method: SecondFactorMethod, code: string): boolean {
  if (!isCodeMethod(method)) return false;
  return isNumericMethod(method) ? /^\d{6}$/.test(code) : code.trim().length > 0;
}

/**
 * Seconds until a resend is allowed, from the server's `resendAvailableAt`. A clock so far off
 * that the answer is nonsense falls back to the documented 60 seconds.
 */
export function secondsUntil(iso: string | undefined, now = Date.now()): number {
  const at = iso ? Date.parse(iso) : Number.NaN;
  const seconds = Math.ceil((at - now) / 1000);
  return Number.isFinite(seconds) && seconds > 0 && seconds <= 5 * RESEND_COOLDOWN_SECONDS
    ? seconds
    : RESEND_COOLDOWN_SECONDS;
}
