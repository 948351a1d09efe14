/**
 * What a new password must satisfy (NIST 800-63B, ASVS 6.2): length by Unicode code points, no
 * composition rules. Each refusal has a stable reason code for the API's `password_policy` error.
 */
export type PasswordPolicyReason = 'too_short' | 'too_long' | 'contains_email';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export interface PasswordContext {
  email?: string;
}

export class PasswordPolicy {
  check(password: string, context: PasswordContext = {}): PasswordPolicyReason[] {
    const reasons: PasswordPolicyReason[] = [];
    const length = [...password.normalize('NFC')].length;
    if (length < PASSWORD_MIN_LENGTH) reasons.push('too_short');
    if (length > PASSWORD_MAX_LENGTH) reasons.push('too_long');
    if (context.email) {
      const lower = password.toLowerCase();
      const email = context.email.trim().toLowerCase();
      const localPart = email.split('@')[0];
      if (lower.includes(email) || (localPart.length >= 4 && lower.includes(localPart) && localPart.length * 2 >= length)) {
        reasons.push('contains_email');
      }
    }
    return reasons;
  }
}

export const PASSWORD_POLICY_MESSAGES: Record<PasswordPolicyReason, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  contains_email: 'Do not build the password on your email address.',
};
