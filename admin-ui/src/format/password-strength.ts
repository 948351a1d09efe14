/**
 * The strength meter's verdict. It runs the server's own policy (policy-rules.ts in libs/security,
 * the one file both import) with the same dictionaries, so what the meter says is what the API will
 * say: while the policy refuses, why, in the API's words; once it accepts, how strong (zxcvbn's score).
 * Only `same_as_current` is the server's alone (the page never sees the current password's hash).
 */
import {
  checkWithoutDictionaries,
  evaluatePassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_POLICY_MESSAGES,
  passwordLength,
  type PasswordContentChecks,
  type PasswordPolicyReason,
  type StrengthScore,
} from '../../../libs/security/src/password/policy-rules';

export type { PasswordContentChecks, PasswordPolicyReason, StrengthScore };
export const MIN_PASSWORD_LENGTH = PASSWORD_MIN_LENGTH;
export const MAX_PASSWORD_LENGTH = PASSWORD_MAX_LENGTH;

export interface PasswordStrength {
  /**
   * 0 empty or out of length, 1-2 refused for its content, 3 good, 4 strong; `null` while the
   * dictionaries load and the length alone cannot decide.
   */
  score: StrengthScore | null;
  /** A word or two: "Too short", "Common password", "Good", ... */
  label: string;
  /** What to do next, in the API's words while refused; '' when nothing is to be said. */
  hint: string;
  /** The policy's reasons (empty when accepted or not yet known). */
  reasons: PasswordPolicyReason[];
  /** true: the API will accept it (as far as the page can know); false: refused; null: not yet known. */
  accepted: boolean | null;
}

const REASON_LABELS: Record<PasswordPolicyReason, string> = {
  too_short: 'Too short',
  too_long: 'Too long',
  same_as_current: 'Same as your current password',
  contains_email: 'Built on your email address',
  common: 'Common password',
  too_weak: 'Too easy to guess',
};

let loading: Promise<PasswordContentChecks> | undefined;

/** Fetches and sets up the policy's dictionaries, once per page load. */
export function loadPasswordContentChecks(): Promise<PasswordContentChecks> {
  if (!loading) {
    loading = import('./password-dictionaries').then((module) => module.contentChecks);
    // After a failed fetch (offline, a new deployment) the next meter tries again.
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

function refused(reasons: PasswordPolicyReason[], score: StrengthScore, password: string): PasswordStrength {
  const [first] = reasons;
  const missing = MIN_PASSWORD_LENGTH - passwordLength(password);
  const messages = reasons.map((reason) =>
    reason === 'too_short' && password.length > 0
      ? `${PASSWORD_POLICY_MESSAGES.too_short} ${missing} more needed.`
      : PASSWORD_POLICY_MESSAGES[reason],
  );
  return { score, label: REASON_LABELS[first], hint: messages.join(' '), reasons, accepted: false };
}

/**
 * The verdict on a new password. Without `checks` (the dictionaries are still loading) only the
 * length and the email are checked; in range, the verdict is left open (`accepted: null`) rather
 * than guessed.
 */
export function passwordStrength(
  password: string,
  options: { email?: string; checks?: PasswordContentChecks } = {},
): PasswordStrength {
  const context = { email: options.email?.trim() || undefined };
  if (!options.checks) {
    const { reasons, final } = checkWithoutDictionaries(password, context);
    if (final) return refused(reasons, 0, password);
    return { score: null, label: 'Checking…', hint: '', reasons: [], accepted: null };
  }
  const { reasons, strength } = evaluatePassword(password, context, options.checks);
  if (reasons.length > 0) {
    const lengthRefused = reasons.includes('too_short') || reasons.includes('too_long');
    const score = lengthRefused ? 0 : strength?.score === 2 ? 2 : 1;
    return refused(reasons, score, password);
  }
  const score = strength?.score === 4 ? 4 : 3;
  return {
    score,
    label: score === 4 ? 'Strong' : 'Good',
    hint: score === 4 ? '' : 'Strong enough. A longer passphrase would be stronger still.',
    reasons: [],
    accepted: true,
  };
}
