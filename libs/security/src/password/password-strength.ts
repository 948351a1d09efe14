import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { estimateStrengthWith, type StrengthEstimate, strengthEstimatorOptions } from './policy-rules';

/**
 * The server's zxcvbn estimator (`@zxcvbn-ts/core` v4, dictionaries of `@zxcvbn-ts/language-common`
 * and `@zxcvbn-ts/language-en`, English feedback), set up once with the options and caps of
 * policy-rules.ts (shared with the console's meter; the bounds and timings are explained there).
 */
export {
  emailUserInputs,
  STRENGTH_ESTIMATE_MAX_INPUT,
  STRENGTH_ESTIMATE_MAX_L33T_VARIANTS,
  strengthEstimateInput,
} from './policy-rules';
export type { StrengthEstimate, StrengthScore } from './policy-rules';

let estimator: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
  if (!estimator) {
    // Lazy on purpose: the dictionaries are decompressed and ranked when first needed, once.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { ZxcvbnFactory: Factory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
    const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    const en = require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
    /* eslint-enable @typescript-eslint/no-require-imports */
    estimator = new Factory(strengthEstimatorOptions({ common, en }));
  }
  return estimator;
}

/** Strength of a password (for the policy). */
export function estimateStrength(password: string, userInputs: readonly string[] = []): StrengthEstimate {
  return estimateStrengthWith(zxcvbn(), password, userInputs);
}

/** Loads the dictionaries now rather than on the first password checked. */
export function warmUpStrengthEstimator(): void {
  zxcvbn().check('warm-up', []);
}
