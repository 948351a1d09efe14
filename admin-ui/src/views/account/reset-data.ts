import type { ResetSecondFactorMethod } from '../../api/password-resets';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../format/password-strength';

/** Rules and words of the "forgot password" pages, kept out of the components. */

/** How long an emailed link works (the API's RESET_TOKEN_TTL_MS). */
export const RESET_LINK_MINUTES = 30;

/**
 * Word from the reset page to the sign-in page it goes to, kept in memory: neither the address
 * nor the token goes into a URL, and (unlike history state, which the router carries over on
 * every later `replace` of the same entry) it is read once, so a later sign-out does not show it.
 */
let passwordJustReset = false;

export function notePasswordReset(): void {
  passwordJustReset = true;
}

/** True once after a reset; false from then on (and after a reload). */
export function takePasswordResetNotice(): boolean {
  const noted = passwordJustReset;
  passwordJustReset = false;
  return noted;
}

/** The same word after the person closed their account (the session is gone with it). */
let accountJustClosed = false;

export function noteAccountClosed(): void {
  accountJustClosed = true;
}

/** True once after the account was closed; false from then on. */
export function takeAccountClosedNotice(): boolean {
  const noted = accountJustClosed;
  accountJustClosed = false;
  return noted;
}

/** The token of a `#token=...` fragment, or null when there is none. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token')?.trim();
  return token ? token : null;
}

/**
 * Reads the token from the address bar once, then takes the fragment out of it and out of this
 * history entry's state (the router keeps the full path there): the token stays in memory only,
 * not in the URL, the history, a bookmark or a shared screen.
 */
export function takeResetToken(location: Location = window.location, history: History = window.history): string | null {
  const hash = location.hash;
  const token = tokenFromHash(hash);
  if (hash) history.replaceState(withoutFragment(history.state, hash), '', location.pathname + location.search);
  return token;
}

/** A copy of the state whose strings no longer carry the fragment. */
function withoutFragment(state: unknown, hash: string): unknown {
  if (typeof state !== 'object' || state === null) return state;
  return Object.fromEntries(
    Object.entries(state).map(([key, value]) => [key, typeof value === 'string' ? value.split(hash).join('') : value]),
  );
}

/** Length rules as on sign-up (the API's policy decides the rest), and both entries the same. */
export function isNewPasswordReady(password: string, repeat: string): boolean {
  return password.length >= MIN_PASSWORD_LENGTH && password.length <= MAX_PASSWORD_LENGTH && repeat === password;
}

/** The app first: a recovery code is the last resort. */
export function preferredResetMethod(methods: ResetSecondFactorMethod[]): ResetSecondFactorMethod | null {
  return methods.includes('totp') ? 'totp' : (methods[0] ?? null);
}

export const RESET_METHOD_LABELS: Record<ResetSecondFactorMethod, string> = {
  totp: 'Authenticator app',
  recovery_code: 'Recovery code',
};

/** The label of the code field, per method. */
export const RESET_CODE_LABELS: Record<ResetSecondFactorMethod, string> = {
  totp: 'Code from your authenticator app',
  recovery_code: 'Recovery code',
};

export const RESET_CODE_HINTS: Record<ResetSecondFactorMethod, string> = {
  totp: 'Enter the 6-digit code your authenticator app shows now.',
  recovery_code: 'Enter one of the recovery codes you saved. Each works once.',
};
