import type { SecurityState } from '../../api/me';
import { describeUserAgent } from '../../format/event-words';

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

export type MfaMethod = 'totp' | 'email' | 'passkey';

/** The second factors that are on; any passkey counts as one. */
export function enabledMethods(security: SecurityState | null): MfaMethod[] {
  if (!security) return [];
  const methods: MfaMethod[] = [];
  if (security.totp.enabled) methods.push('totp');
  if (security.email.enabled) methods.push('email');
  if ((security.passkeys ?? []).length > 0) methods.push('passkey');
  return methods;
}

/** What a step-up offers first: a passkey is one touch, with no code to read or wait for. */
export function preferredReauthMethod(methods: MfaMethod[]): MfaMethod | null {
  return (['passkey', 'totp', 'email'] as const).find((method) => methods.includes(method)) ?? null;
}

export const REAUTH_METHOD_LABELS: Record<MfaMethod, string> = {
  passkey: 'Passkey',
  totp: 'Authenticator app',
  email: 'Email code',
};

/** Turning this method off leaves the password alone. */
export function isLastMethod(security: SecurityState | null, method: MfaMethod): boolean {
  const methods = enabledMethods(security);
  return methods.length === 1 && methods[0] === method;
}

/**
 * Removing this passkey turns the passkey method off (it is the account's last passkey) and no
 * other second factor is on.
 */
export function isLastPasskeyAndFactor(security: SecurityState | null, passkeyId: string): boolean {
  const passkeys = security?.passkeys ?? [];
  return passkeys.length === 1 && passkeys[0].id === passkeyId && isLastMethod(security, 'passkey');
}

export const PASSKEY_NAME_MAX = 60;

/** The API takes 1 to 60 printable characters, without line breaks. */
export function isPasskeyNameValid(name: string): boolean {
  const trimmed = name.trim();
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
  return trimmed.length > 0 && trimmed.length <= PASSKEY_NAME_MAX && !/[\u0000-\u001f\u007f]/.test(trimmed);
}

/** A name to start from: the browser and system it was made on ("Chrome on macOS"). */
export function defaultPasskeyName(userAgent: string | null | undefined): string {
  const device = describeUserAgent(userAgent);
  if (device === 'unknown device' || device === 'unrecognised client') return 'Passkey';
  return device.slice(0, PASSKEY_NAME_MAX);
}

export const LAST_METHOD_WARNING =
  'This is your only second factor: once it is off, your account is protected by your password alone.';
