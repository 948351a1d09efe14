import { buildCommonPasswordList, isOnCommonPasswordList } from './policy-rules';

/**
 * The server's copy of the common/breached list (the rules, the source and the matching are in
 * policy-rules.ts, shared with the console's meter). `@zxcvbn-ts/language-common` stores the list
 * compressed and decompresses it when first required, so it is required lazily here, on the first
 * check, and kept once as a Set.
 */
export {
  canonicalPassword,
  COMMON_PASSWORD_MIN_CORE_LENGTH,
  COMMON_PASSWORDS_SOURCE,
  commonPasswordCore,
} from './policy-rules';

let commonPasswords: ReadonlySet<string> | undefined;

/** The list as a Set of canonical entries, built once, on first use. */
export function commonPasswordSet(): ReadonlySet<string> {
  if (!commonPasswords) {
    // Lazy on purpose: importing the package decompresses ~500 KB of dictionaries.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    commonPasswords = buildCommonPasswordList(require('@zxcvbn-ts/language-common'));
  }
  return commonPasswords;
}

/** See {@link isOnCommonPasswordList}: on the list, or a list entry padded at its ends. */
export function isCommonPassword(password: string): boolean {
  return isOnCommonPasswordList(commonPasswordSet(), password);
}
