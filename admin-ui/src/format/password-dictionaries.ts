import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { passwordContentChecks } from '../../../libs/security/src/password/policy-rules';

/**
 * The policy's dictionaries for the page (~1 MB before compression). Only loaded through
 * `loadPasswordContentChecks` in password-strength.ts, with a dynamic import, so they travel in a
 * chunk of their own that only pages with a new-password field fetch.
 */
export const contentChecks = passwordContentChecks({ ZxcvbnFactory, common, en });
