import type { EndedSession, OwnSession, SecurityState } from '../../api/me';
import { describeUserAgent } from '../../format/event-words';

/** Rules and words of the account pages, kept out of the components so they can be tested alone. */

/** One code per line: what the copy button puts on the clipboard. */
export function recoveryCodesText(codes: string[]): string {
  return `${codes.join('\n')}\n`;
}

/** What the downloaded file says about its codes, besides the codes themselves. */
export interface RecoveryCodesContext {
  /** The site the codes sign in to (its host name, as the address bar shows it). */
  service: string;
  /** Where the account's security page is, to make new codes. */
  securityPage: string;
  email: string;
  generatedAt: Date;
}

/** YYYY-MM-DD of a moment in the reader's own calendar. */
function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `recovery-codes-<service>-<date>.txt`, with only letters, digits, dots and dashes. */
export function recoveryCodesFileName(context: Pick<RecoveryCodesContext, 'service' | 'generatedAt'>): string {
  const service =
    context.service
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'account';
  return `recovery-codes-${service}-${localDate(context.generatedAt)}.txt`;
}

const generatedFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' });

/**
 * The downloaded file: which service and account the codes are for, when they were made, how to
 * use them (each works once), then the codes one per line. Found months later in a drawer or a
 * password manager, it still says what it is.
 */
export function recoveryCodesDocument(codes: string[], context: RecoveryCodesContext): string {
  return [
    `Recovery codes for ${context.service}`,
    '',
    `Account: ${context.email}`,
    `Generated: ${generatedFormat.format(context.generatedAt)} (${localDate(context.generatedAt)})`,
    '',
    'If you cannot use your authenticator app (a lost or new phone), sign in with your password,',
    'choose "Recovery code" as the second step and enter one of these codes.',
    'Each code works once. Making new codes stops all of these from working:',
    `do that on ${context.securityPage} once you are signed in.`,
    'Keep this file somewhere safe, away from your phone.',
    '',
    ...codes,
    '',
  ].join('\n');
}

export function recoveryCodesBlob(codes: string[], context: RecoveryCodesContext): Blob {
  return new Blob([recoveryCodesDocument(codes, context)], { type: 'text/plain;charset=utf-8' });
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

/** A session's device as people name it: "Firefox on Windows". */
export function deviceName(session: Pick<OwnSession, 'browser' | 'os'>): string {
  return [session.browser, session.os].filter(Boolean).join(' on ') || 'Unknown device';
}

/** This device first, then the others, the most recently used first. */
export function activeSessionsInOrder(sessions: OwnSession[]): OwnSession[] {
  const used = (session: OwnSession) => session.lastActiveAt ?? session.createdAt;
  return [...sessions].sort((a, b) => {
    if (a.current !== b.current) return a.current ? -1 : 1;
    return used(a) < used(b) ? 1 : used(a) > used(b) ? -1 : 0;
  });
}

const endWords: Record<string, string> = {
  logout: 'Signed out',
  user: 'Signed out from another device',
  password_changed: 'Signed out when the password changed',
  password_reset: 'Signed out when the password was reset',
  admin: 'Signed out by an administrator',
  erased: 'Signed out when the account was closed',
  expired: 'Expired',
  idle: 'Expired after a while unused',
};

/** How an ended session ended, in a few words. */
export function sessionEndWords(session: Pick<EndedSession, 'endReason'>): string {
  return endWords[session.endReason] ?? 'Ended';
}

/** The disclosure's label: "Show 12 ended sessions" / "Hide ended sessions". */
export function endedToggleLabel(count: number, open: boolean): string {
  if (open) return count === 1 ? 'Hide the ended session' : 'Hide ended sessions';
  return count === 1 ? 'Show 1 ended session' : `Show ${count} ended sessions`;
}
