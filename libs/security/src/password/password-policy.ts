import { isCommonPassword } from './common-passwords';
import { estimateStrength, warmUpStrengthEstimator } from './password-strength';
import { evaluatePassword, type PasswordContext, type PasswordPolicyReason } from './policy-rules';

/**
 * The server's password policy. The rules (lengths, the list and its matching, zxcvbn's set-up,
 * `contains_email`, the order of the checks, the reason codes and their messages) are in
 * policy-rules.ts, which the console's strength meter imports too, so the page and the API agree;
 * here they run over the dictionaries the server loads lazily (warmed up at start-up).
 */
export {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MIN_STRENGTH_SCORE,
  PASSWORD_POLICY_MESSAGES,
} from './policy-rules';
export type { PasswordContext, PasswordPolicyReason } from './policy-rules';

const SERVER_CONTENT_CHECKS = { isCommon: isCommonPassword, estimateStrength };

export class PasswordPolicy {
  check(password: string, context: PasswordContext = {}): PasswordPolicyReason[] {
    return evaluatePassword(password, context, SERVER_CONTENT_CHECKS).reasons;
  }

  /** Loads the common-password list and the zxcvbn dictionaries now (e.g. at start-up). */
  warmUp(): void {
    isCommonPassword('warm-up');
    warmUpStrengthEstimator();
  }
}
