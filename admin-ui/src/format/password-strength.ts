/**
 * A rough, client-side strength meter: length and character variety only. It guides the person
 * typing; the API's policy (length, breached lists, zxcvbn) decides, and its reasons are shown
 * when it refuses.
 */

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface PasswordStrength {
  score: StrengthScore;
  label: string;
  /** A tip for the next step up, or '' when strong. */
  hint: string;
}

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

const LABELS = ['Too short', 'Weak', 'Fair', 'Good', 'Strong'] as const;

/** How many kinds of characters appear: lower, upper, digits, spaces, other symbols. */
export function characterVariety(password: string): number {
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /\s/, /[^a-zA-Z\d\s]/];
  return kinds.filter((kind) => kind.test(password)).length;
}

export function passwordStrength(password: string): PasswordStrength {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return {
      score: 0,
      label: LABELS[0],
      hint:
        length === 0
          ? `Use at least ${MIN_PASSWORD_LENGTH} characters.`
          : `${MIN_PASSWORD_LENGTH - length} more characters needed.`,
    };
  }
  const distinct = new Set(password.toLowerCase()).size;
  let points = 1; // long enough
  if (length >= 16) points += 1;
  if (length >= 20) points += 1;
  const variety = characterVariety(password);
  if (variety >= 2) points += 1;
  if (variety >= 3) points += 1;
  // "aaaaaaaaaaaa" or "abababababab" is long but not strong.
  if (distinct < 5) points = 1;
  else if (distinct < 8) points = Math.min(points, 2);
  const score = Math.max(1, Math.min(4, points)) as StrengthScore;
  const hint = score >= 4 ? '' : 'Longer is stronger: a few unrelated words make a good password.';
  return { score, label: LABELS[score], hint };
}
