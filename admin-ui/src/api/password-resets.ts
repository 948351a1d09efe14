import { ApiError, NETWORK_ERROR, requestNothing, toApiError } from './http';

/**
 * "Forgot password" (API.md, "Sign-up and sign-in"): ask for an emailed link, then choose a new
 * password with the token from it. Both calls go without a token: the person is not signed in,
 * and a stale session must neither be sent nor be cleared by their answers.
 */

/** The second factors a reset accepts: email codes cannot confirm a link that came by email. */
export type ResetSecondFactorMethod = 'totp' | 'recovery_code';

export interface ResetSecondFactor {
  method: ResetSecondFactorMethod;
  code: string;
}

export interface PasswordResetConfirmation {
  /** From the emailed link, after `#token=`. */
  token: string;
  newPassword: string;
  newPasswordRepeat: string;
  secondFactor?: ResetSecondFactor;
}

/**
 * 403 `mfa_required` on confirm: send it again with one of `methods` as `secondFactor` (the link is
 * not spent). No methods: the account's only second factor is email codes, and an administrator
 * has to reset two-step verification first.
 */
export class ResetNeedsSecondFactorError extends ApiError {
  constructor(
    error: ApiError,
    readonly methods: ResetSecondFactorMethod[],
  ) {
    super(error.status, error.code, error.detail, error.extras);
  }
}

const RESET_METHODS: readonly ResetSecondFactorMethod[] = ['totp', 'recovery_code'];

/** 202 for any well-formed address, whether or not an account uses it. */
export function requestPasswordReset(email: string): Promise<void> {
  return requestNothing('/v1/password-resets', { method: 'POST', body: { email }, anonymous: true });
}

/** 204 when the password was changed; ApiError otherwise (ResetNeedsSecondFactorError for `mfa_required`). */
export async function confirmPasswordReset(confirmation: PasswordResetConfirmation): Promise<void> {
  // Not through `send`: the `methods` of a 403 sit in the problem body, which ApiError does not keep.
  let response: Response;
  try {
    response = await fetch('/v1/password-resets/confirm', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(confirmation),
    });
  } catch {
    throw new ApiError(0, NETWORK_ERROR, 'The service could not be reached. Check your connection.');
  }
  if (response.ok) return;

  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  const error = await toApiError(response);
  if (error.status === 403 && error.code === 'mfa_required')
    throw new ResetNeedsSecondFactorError(error, readMethods(body));
  throw error;
}

/** The offered methods we know how to ask for, in the API's order; anything else is left out. */
function readMethods(body: unknown): ResetSecondFactorMethod[] {
  const methods = typeof body === 'object' && body !== null ? (body as { methods?: unknown }).methods : undefined;
  if (!Array.isArray(methods)) return [];
  return methods.filter((method): method is ResetSecondFactorMethod => RESET_METHODS.includes(method));
}
