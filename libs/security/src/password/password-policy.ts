import { isCommonPassword } from './common-passwords';
import { emailUserInputs, estimateStrength, warmUpStrengthEstimator } from './password-strength';

/**
 * What a new password must satisfy (NIST SP 800-63B 5.1.1.2, ASVS 6.2): 12 to 128 Unicode code
 * points, not built on the email, not on the common/breached list, not too guessable (zxcvbn), not
 * the current password; no composition rules ("needs a digit") and no truncation. Each refusal has
 * a stable reason code for the API's `password_policy` error.
 *
 * Order of the checks: the length first; out of range, only the length (and the cheap `same_as_current`
 * / `contains_email`) is reported and the content checks are skipped, so an oversized input costs
 * nothing. Then the list; the zxcvbn estimate runs only when no other reason was found, since
 * a password on the list or built on the email is too guessable anyway and the specific reason
 * tells the user more. So `too_weak` means "none of the other reasons, but still easy to guess".
 */
export type PasswordPolicyReason =
  'too_short' | 'too_long' | 'same_as_current' | 'contains_email' | 'common' | 'too_weak';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn scores below this are `too_weak` (3 = at least 10^8 guesses). */
export const PASSWORD_MIN_STRENGTH_SCORE = 3;

export interface PasswordContext {
  email?: string;
  /**
   * Set by the caller when the new password verifies against the current hash (the policy never
   * sees hashes).
   */
  sameAsCurrent?: boolean;
}

export class PasswordPolicy {
  check(password: string, context: PasswordContext = {}): PasswordPolicyReason[] {
    const reasons: PasswordPolicyReason[] = [];
    const length = [...password.normalize('NFC')].length;
    if (length < PASSWORD_MIN_LENGTH) reasons.push('too_short');
    if (length > PASSWORD_MAX_LENGTH) reasons.push('too_long');
    if (context.sameAsCurrent) reasons.push('same_as_current');
    if (context.email && isBuiltOnEmail(password, context.email, length)) reasons.push('contains_email');
    if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) return reasons;

    if (isCommonPassword(password)) reasons.push('common');
    if (
      reasons.length === 0 &&
      estimateStrength(password, emailUserInputs(context.email)).score < PASSWORD_MIN_STRENGTH_SCORE
    ) {
      reasons.push('too_weak');
    }
    return reasons;
  }

  /** Loads the common-password list and the zxcvbn dictionaries now (e.g. at start-up). */
  warmUp(): void {
    isCommonPassword('warm-up');
    warmUpStrengthEstimator();
  }
}

function isBuiltOnEmail(password: string, email: string, length: number): boolean {
  const lower = password.normalize('NFC').toLowerCase();
  const normalizedEmail = email.trim().toLowerCase();
  const localPart = normalizedEmail.split('@')[0];
  return (
    lower.includes(normalizedEmail) ||
    (localPart.length >= 4 && lower.includes(localPart) && localPart.length * 2 >= length)
  );
}

export const PASSWORD_POLICY_MESSAGES: Record<PasswordPolicyReason, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  same_as_current: 'Choose a password different from your current one.',
  contains_email: 'Do not build the password on your email address.',
  common: 'This password is on a list of common or breached passwords; choose another.',
  too_weak: 'This password is too easy to guess; a few unrelated words make a strong passphrase.',
};
