import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/**
 * Password strength estimate with zxcvbn (`@zxcvbn-ts/core` v4, dictionaries of
 * `@zxcvbn-ts/language-common` and `@zxcvbn-ts/language-en`, English feedback), set up once.
 *
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
 * characters and 5 variants ~60 ms; Levenshtein matching (off here) adds 0.3-1.5 s. The first call also loads and ranks the
 * dictionaries (~0.4 s): {@link warmUpStrengthEstimator} pays that at start-up instead.
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

let estimator: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
  if (!estimator) {
    // Lazy on purpose: the dictionaries are decompressed and ranked when first needed, once.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { ZxcvbnFactory: Factory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
    const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    const en = require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
    /* eslint-enable @typescript-eslint/no-require-imports */
    estimator = new Factory({
      translations: en.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
      l33tMaxSubstitutions: STRENGTH_ESTIMATE_MAX_L33T_VARIANTS,
      // Our own cut (below) is by code points; this is a second bound in UTF-16 units.
      maxLength: STRENGTH_ESTIMATE_MAX_INPUT * 2,
      // Levenshtein matching against every dictionary costs 100s of ms per check; the list check
      // (common-passwords.ts) catches list entries padded with digits and symbols instead.
      useLevenshteinDistance: false,
    });
  }
  return estimator;
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

/** Strength of a password (for the policy and a future strength meter). */
export function estimateStrength(password: string, userInputs: readonly string[] = []): StrengthEstimate {
  const input = strengthEstimateInput(password);
  const result = zxcvbn().check(
    input,
    userInputs.map((value) => value.normalize('NFC').toLowerCase()),
  );
  const feedback = result.feedback.warning ?? result.feedback.suggestions[0] ?? undefined;
  return feedback ? { score: result.score, feedback } : { score: result.score };
}

/** Loads the dictionaries now rather than on the first password checked. */
export function warmUpStrengthEstimator(): void {
  zxcvbn().check('warm-up', []);
}
