import { PasskeyPromptError } from '../browser/passkey';
import { ApiError, NETWORK_ERROR, UNEXPECTED_RESPONSE } from './http';

/**
 * What the console tells a person about a failed call: one plain sentence from the code. The API's
 * own `detail` (written for developers) and the request id are kept for support, not shown as text.
 */
export interface ErrorDescription {
  message: string;
  /** The API's detail when it says something the message does not; for the support details only. */
  detail: string;
  requestId?: string;
  /** `password_policy`: each rule the password broke, in plain words. */
  reasons?: string[];
}

export const FORBIDDEN_MESSAGE = 'This console needs an administrator or auditor account.';
export const MFA_REQUIRED_MESSAGE =
  'Sign in with your second factor: turn on two-step verification on your account page first.';

const MESSAGES: Record<string, string> = {
  invalid_credentials: 'The email or password is not right.',
  code_invalid: 'That code is not right, was already used, or has expired. Check it and try again.',
  registration_expired: 'This sign-up has expired (a code works for 10 minutes and a few tries). Start again.',
  rate_limited: 'Too many attempts. Wait a little, then try again.',
  account_locked: 'Too many wrong passwords or codes: the account is locked for a while. Nothing was checked.',
  unauthorized: 'You are signed out. Sign in again.',
  account_erased: 'This account was closed.',
  overloaded: 'The service is busy right now. Try again in a moment.',
  forbidden: FORBIDDEN_MESSAGE,
  mfa_required: MFA_REQUIRED_MESSAGE,
  not_found: 'Nothing was found there. It may have been removed, or the link is wrong.',
  validation_failed: 'Some of what was entered is not valid. Check the fields and try again.',
  conflict: 'That cannot be done in the account’s current state.',
  reauth_required: 'Confirm who you are again, then retry.',
  mfa_code_required: 'Your account uses two-step verification: confirm with a code instead of the password.',
  password_policy: 'That password is not accepted.',
  current_password_invalid: 'The current password is not right.',
  email_taken: 'An account with this email already exists. Sign in instead.',
  current_session: 'This is the device you are using now. Sign out to end it.',
  passkey_invalid:
    'That passkey was not accepted. It may have been removed from your account, or the attempt expired. Try again.',
  token_invalid:
    'This link is not valid any more: it was already used, a newer one was sent, or it has expired. Ask for a new one.',
  [NETWORK_ERROR]: 'The service could not be reached.',
  [UNEXPECTED_RESPONSE]: 'The service sent an answer the console cannot read.',
};

export function describeError(error: unknown): ErrorDescription {
  // The browser's passkey prompt: its own words already say what happened and what to do.
  if (error instanceof PasskeyPromptError) return { message: error.message, detail: '' };
  if (!(error instanceof ApiError)) {
    return {
      message: 'Something went wrong on this page. Try again.',
      detail: error instanceof Error ? error.message : '',
    };
  }
  let message = MESSAGES[error.code] ?? fallbackMessage(error.status);
  if (error.code === 'overloaded' && error.extras.retryAfterSeconds !== undefined) {
    message = `The service is busy right now. Try again in ${waitWords(error.extras.retryAfterSeconds)}.`;
  }
  if (error.code === 'rate_limited' && error.extras.retryAfterSeconds !== undefined) {
    message = `Too many attempts. Try again in ${waitWords(error.extras.retryAfterSeconds)}.`;
  }
  if (error.code === 'account_locked' && error.extras.retryAfterSeconds !== undefined) {
    message = `Too many wrong passwords or codes: the account is locked. Try again in ${waitWords(error.extras.retryAfterSeconds)}.`;
  }
  // The detail adds nothing when it repeats our words or is empty.
  const detail = error.detail && error.detail !== message ? error.detail : '';
  const reasons = error.extras.reasons?.map((reason) => reason.message).filter(Boolean);
  if (reasons?.length) return { message, detail: '', requestId: error.extras.requestId, reasons };
  return { message, detail, requestId: error.extras.requestId };
}

/** A wait in words: seconds up to two minutes, whole minutes beyond (an hourly limit says "45 minutes"). */
export function waitWords(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

function fallbackMessage(status: number): string {
  // The status stays in the words: it is what a person can tell support (views/users/list.spec.ts).
  if (status >= 500)
    return `The service failed (HTTP ${status}). Try again in a moment; if it keeps failing, contact support.`;
  if (status === 403) return 'You are not allowed to do this.';
  return 'That could not be done. Check what you entered and try again.';
}
