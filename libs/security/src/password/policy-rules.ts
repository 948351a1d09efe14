import type { OptionsType, ZxcvbnFactory } from '@zxcvbn-ts/core';

/**
 * The password policy's rules, written once for the server and the page. The server
 * (password-policy.ts) and the console's strength meter (admin-ui/src/format/password-strength.ts)
 * both import this file, so the meter shows the verdict the API will give.
 *
 * Pure on purpose: no `require`, no Node or browser API, no module state. The dictionaries
 * (`@zxcvbn-ts/language-common`, `@zxcvbn-ts/language-en`, ~1 MB) and zxcvbn's factory are passed in
 * by the caller, which loads them its own way: the server lazily with `require` (warmed up at
 * start-up), the page with a dynamic `import()` in a chunk fetched only where a new password is typed.
 *
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

export const PASSWORD_POLICY_MESSAGES: Record<PasswordPolicyReason, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  same_as_current: 'Choose a password different from your current one.',
  contains_email: 'Do not build the password on your email address.',
  common: 'This password is on a list of common or breached passwords; choose another.',
  too_weak: 'This password is too easy to guess; a few unrelated words make a strong passphrase.',
};

export interface PasswordContext {
  email?: string;
  /**
   * Set by the caller when the new password verifies against the current hash (the policy never
   * sees hashes; the page never knows it).
   */
  sameAsCurrent?: boolean;
}

/** Length as the policy counts it: Unicode code points after NFC. */
export function passwordLength(password: string): number {
  return [...password.normalize('NFC')].length;
}

// ---- The common/breached list ---------------------------------------------------------------

/**
 * Offline list of common/breached passwords (NIST SP 800-63B 5.1.1.2, ASVS 6.2.4 / 6.2.12).
 *
 * Source: the `passwords-common` dictionary of `@zxcvbn-ts/language-common` v4 (MIT), the list
 * zxcvbn ranks passwords against: 49,233 entries (lower case, ASCII, 3 to 20 characters, most common
 * first), built from breach corpora. That is well above the 10,000 most common we require, so no list
 * file is shipped in the repo.
 */
export const COMMON_PASSWORDS_SOURCE = '@zxcvbn-ts/language-common passwords-common';

/** The shortest core (see {@link commonPasswordCore}) that is looked up on its own. */
export const COMMON_PASSWORD_MIN_CORE_LENGTH = 4;

/** What of `@zxcvbn-ts/language-common` the list needs. */
export interface CommonPasswordDictionary {
  dictionary: { 'passwords-common': readonly (string | number)[] };
}

/** How a password and the list entries are compared: NFC, then lower case (locale independent). */
export function canonicalPassword(password: string): string {
  return password.normalize('NFC').toLowerCase();
}

/** The list as a Set of canonical entries (build it once and keep it). */
export function buildCommonPasswordList(common: CommonPasswordDictionary): ReadonlySet<string> {
  return new Set(common.dictionary['passwords-common'].map((entry) => canonicalPassword(String(entry))));
}

/** Digits, punctuation, symbols and spaces at either end: the usual "make it 12 characters" padding. */
const PADDING = /^[\p{N}\p{P}\p{S}\p{Z}]+|[\p{N}\p{P}\p{S}\p{Z}]+$/gu;

/**
 * The password without the digits, punctuation, symbols and spaces at its ends, e.g.
 * `Password123!` -> `password`, `2026iloveyou!` -> `iloveyou`.
 */
export function commonPasswordCore(password: string): string {
  return canonicalPassword(password).replace(PADDING, '');
}

/**
 * True when the password is on the list (case-insensitively, after NFC), or is a list entry padded
 * with digits/punctuation/symbols/spaces at the start or end.
 *
 * The padded variants are a deliberate judgement call: `Password123!`, `iloveyou2026!` or
 * `Football2026!!` are exactly what attackers' rule sets (append a year, a `!`, ...) try right after
 * the plain list, and zxcvbn scores several of them at 3 ("safely unguessable"), so the list has to
 * catch them. The core must have at least {@link COMMON_PASSWORD_MIN_CORE_LENGTH} code points. The
 * price: a list word padded with a long random string of digits and symbols is refused too; the user
 * is told to avoid common passwords and picks another, which is cheap. Passphrases are not affected:
 * their core is the whole phrase, which is not on the list.
 */
export function isOnCommonPasswordList(list: ReadonlySet<string>, password: string): boolean {
  if (list.has(canonicalPassword(password))) return true;
  const core = commonPasswordCore(password);
  return [...core].length >= COMMON_PASSWORD_MIN_CORE_LENGTH && list.has(core);
}

// ---- The zxcvbn estimate --------------------------------------------------------------------

/**
 * Bounded work: zxcvbn looks up every substring (up to ~23 characters) of its input in 20
 * dictionaries, once per variant (plain, reversed, each l33t variant, ...), so its cost grows with
 * the input length times the l33t variants tried. Only the first {@link STRENGTH_ESTIMATE_MAX_INPUT}
 * code points are estimated and at most {@link STRENGTH_ESTIMATE_MAX_L33T_VARIANTS} l33t variants
 * are tried. Estimating a prefix is safe: guessing a password means guessing its start too, so the
 * whole is at least as strong as its prefix; the cap can only make the policy stricter (a long
 * password with a weak start is refused), never admit a weak one.
 *
 * Measured on the dev container (2 vCPU, shared; one argon2id hash with our parameters ~35 ms),
 * warmed up, median per check: 3-7 ms for typical passwords (12-30 characters), 10-12 ms (max
 * seen ~17 ms) for crafted 128-character input (random / l33t-heavy). With zxcvbn's defaults
 * (256 characters, 100 l33t variants) a random 128-character password took ~1 s; with 100
 * characters and 5 variants ~60 ms; Levenshtein matching (off here) adds 0.3-1.5 s. Building the
 * factory loads and ranks the dictionaries (~0.4 s): the server pays that at start-up.
 */
export const STRENGTH_ESTIMATE_MAX_INPUT = 32;
export const STRENGTH_ESTIMATE_MAX_L33T_VARIANTS = 3;

/** zxcvbn score: 0 too guessable ... 3 safely unguessable (>= 10^8 guesses) ... 4 very unguessable. */
export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface StrengthEstimate {
  score: StrengthScore;
  /** zxcvbn's warning, or else its first suggestion (English), when it has one. */
  feedback?: string;
}

/** What of `@zxcvbn-ts/language-common` and `@zxcvbn-ts/language-en` the estimate needs. */
export interface StrengthDictionaries {
  common: { dictionary: OptionsType['dictionary']; adjacencyGraphs: OptionsType['graphs'] };
  en: { dictionary: OptionsType['dictionary']; translations: OptionsType['translations'] };
}

/** zxcvbn's set-up: English feedback, the common and English dictionaries, and the caps above. */
export function strengthEstimatorOptions({ common, en }: StrengthDictionaries): OptionsType {
  return {
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
    l33tMaxSubstitutions: STRENGTH_ESTIMATE_MAX_L33T_VARIANTS,
    // Our own cut (strengthEstimateInput) is by code points; this is a second bound in UTF-16 units.
    maxLength: STRENGTH_ESTIMATE_MAX_INPUT * 2,
    // Levenshtein matching against every dictionary costs 100s of ms per check; the list check
    // catches list entries padded with digits and symbols instead.
    useLevenshteinDistance: false,
  };
}

/** What the estimator is given: NFC, first {@link STRENGTH_ESTIMATE_MAX_INPUT} code points. */
export function strengthEstimateInput(password: string): string {
  const codePoints = [...password.normalize('NFC')];
  return codePoints.length <= STRENGTH_ESTIMATE_MAX_INPUT
    ? codePoints.join('')
    : codePoints.slice(0, STRENGTH_ESTIMATE_MAX_INPUT).join('');
}

/**
 * The user's own data for zxcvbn: the email, its local part and the local part's pieces
 * (`alice.smith+x@example.com` -> also `alice.smith+x`, `alice`, `smith`), so a password built on
 * them scores low.
 */
export function emailUserInputs(email: string | undefined): string[] {
  const normalized = email?.trim().toLowerCase();
  if (!normalized) return [];
  const localPart = normalized.split('@')[0];
  const pieces = localPart.split(/[._+-]+/).filter((piece) => piece.length >= 3);
  return [...new Set([normalized, localPart, ...pieces])];
}

/** Strength of a password with a zxcvbn factory built from {@link strengthEstimatorOptions}. */
export function estimateStrengthWith(
  estimator: Pick<ZxcvbnFactory, 'check'>,
  password: string,
  userInputs: readonly string[] = [],
): StrengthEstimate {
  const result = estimator.check(
    strengthEstimateInput(password),
    userInputs.map((value) => value.normalize('NFC').toLowerCase()),
  );
  const feedback = result.feedback.warning ?? result.feedback.suggestions[0] ?? undefined;
  return feedback ? { score: result.score, feedback } : { score: result.score };
}

// ---- The verdict ----------------------------------------------------------------------------

function isBuiltOnEmail(password: string, email: string, length: number): boolean {
  const lower = password.normalize('NFC').toLowerCase();
  const normalizedEmail = email.trim().toLowerCase();
  const localPart = normalizedEmail.split('@')[0];
  return (
    lower.includes(normalizedEmail) ||
    (localPart.length >= 4 && lower.includes(localPart) && localPart.length * 2 >= length)
  );
}

/**
 * The checks that need no dictionary: the length, `same_as_current` and `contains_email`. When the
 * length is out of range these reasons are the whole verdict (`final`); otherwise the content
 * checks follow.
 */
export function checkWithoutDictionaries(
  password: string,
  context: PasswordContext = {},
): { reasons: PasswordPolicyReason[]; final: boolean } {
  const reasons: PasswordPolicyReason[] = [];
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH) reasons.push('too_short');
  if (length > PASSWORD_MAX_LENGTH) reasons.push('too_long');
  if (context.sameAsCurrent) reasons.push('same_as_current');
  if (context.email && isBuiltOnEmail(password, context.email, length)) reasons.push('contains_email');
  return { reasons, final: length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH };
}

/** The content checks, backed by the loaded dictionaries. */
export interface PasswordContentChecks {
  isCommon(password: string): boolean;
  estimateStrength(password: string, userInputs: readonly string[]): StrengthEstimate;
}

export interface PasswordEvaluation {
  /** Empty when the policy accepts the password. */
  reasons: PasswordPolicyReason[];
  /** The zxcvbn estimate, when it ran (only when no other reason was found). */
  strength?: StrengthEstimate;
}

/** The policy's verdict on a new password, with the strength estimate when one was made. */
export function evaluatePassword(
  password: string,
  context: PasswordContext,
  checks: PasswordContentChecks,
): PasswordEvaluation {
  const { reasons, final } = checkWithoutDictionaries(password, context);
  if (final) return { reasons };

  if (checks.isCommon(password)) reasons.push('common');
  if (reasons.length > 0) return { reasons };
  const strength = checks.estimateStrength(password, emailUserInputs(context.email));
  if (strength.score < PASSWORD_MIN_STRENGTH_SCORE) reasons.push('too_weak');
  return { reasons, strength };
}

/** The loaded packages the content checks are built from. */
export interface PasswordDictionaries {
  /** `ZxcvbnFactory` of `@zxcvbn-ts/core`. */
  ZxcvbnFactory: new (options: OptionsType) => Pick<ZxcvbnFactory, 'check'>;
  common: CommonPasswordDictionary & StrengthDictionaries['common'];
  en: StrengthDictionaries['en'];
}

/** The content checks over a set of loaded dictionaries: the list and zxcvbn set up once, here. */
export function passwordContentChecks(dictionaries: PasswordDictionaries): PasswordContentChecks {
  const list = buildCommonPasswordList(dictionaries.common);
  const estimator = new dictionaries.ZxcvbnFactory(strengthEstimatorOptions(dictionaries));
  return {
    isCommon: (password) => isOnCommonPasswordList(list, password),
    estimateStrength: (password, userInputs) => estimateStrengthWith(estimator, password, userInputs),
  };
}
