/** The second factors a user can turn on. */
export type MfaMethod = 'totp' | 'email' | 'passkey';

const MFA_METHOD_NAMES: Record<MfaMethod, string> = {
  totp: 'authenticator app',
  email: 'email codes',
  passkey: 'passkeys',
};

/** "authenticator app" / "email codes" / "passkeys". Throws on anything else, so no mail says "undefined". */
export function mfaMethodName(method: MfaMethod): string {
  if (!Object.prototype.hasOwnProperty.call(MFA_METHOD_NAMES, method))
    throw new TypeError(`Unknown MFA method: ${String(method)}`);
  return MFA_METHOD_NAMES[method];
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "1 minute", "3 minutes". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A count shown in a mail must be a whole number (min or more), never NaN or Infinity. */
export function requireCount(name: string, value: number, min = 0): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${String(value)}`);
  return value;
}

/** The closing advice of a notice about a change the user is expected to have made. */
export const IF_THIS_WAS_YOU = 'If this was you, there is nothing more to do.';
export const IF_IT_WASNT_YOU =
  "If it wasn't you, reset your password right away and contact support: someone else may have access to your account.";

/**
 * What still protects an account after a factor went away: the paragraph, and the advice to add
 * one back when the password is alone (`recommendation` says what to do, without the reason).
 */
export function remainingProtection(
  protections: string[],
  recommendation: string,
): { paragraph: string; advice: string[] } {
  return protections.length > 0
    ? { paragraph: `Your account is still protected by two-step verification with ${listOf(protections)}.`, advice: [] }
    : {
        paragraph: 'Your account is now protected by your password alone.',
        advice: [`${recommendation}: with a password alone, anyone who learns it can sign in.`],
      };
}
