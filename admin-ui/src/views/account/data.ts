import type { SecurityState } from '../../api/me';

/** Rules and words of the account pages, kept out of the components so they can be tested alone. */

export const RECOVERY_CODES_FILE_NAME = 'recovery-codes.txt';

/** One code per line, as the download promises. */
export function recoveryCodesText(codes: string[]): string {
  return `${codes.join('\n')}\n`;
}

export function recoveryCodesBlob(codes: string[]): Blob {
  return new Blob([recoveryCodesText(codes)], { type: 'text/plain;charset=utf-8' });
}

const SIX_MONTHS_MS = 182 * 24 * 60 * 60 * 1000;

/** The password page suggests a change after about six months. */
export function isPasswordOld(changedAt: string | null | undefined, now = Date.now()): boolean {
  if (!changedAt) return false;
  const at = Date.parse(changedAt);
  return Number.isFinite(at) && now - at > SIX_MONTHS_MS;
}

export type MfaMethod = 'totp' | 'email';

export function enabledMethods(security: SecurityState | null): MfaMethod[] {
  if (!security) return [];
  const methods: MfaMethod[] = [];
  if (security.totp.enabled) methods.push('totp');
  if (security.email.enabled) methods.push('email');
  return methods;
}

/** Turning this method off leaves the password alone. */
export function isLastMethod(security: SecurityState | null, method: MfaMethod): boolean {
  const methods = enabledMethods(security);
  return methods.length === 1 && methods[0] === method;
}

export const LAST_METHOD_WARNING =
  'This is your only second factor: once it is off, your account is protected by your password alone.';
