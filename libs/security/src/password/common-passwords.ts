/**
 * Offline list of common/breached passwords (NIST SP 800-63B 5.1.1.2, ASVS 6.2.4 / 6.2.12).
 *
 * Source: the `passwords-common` dictionary of `@zxcvbn-ts/language-common` v4 (MIT), the list
 * zxcvbn ranks passwords against: 49,233 entries (lower case, ASCII, 3 to 20 characters, most common
 * first), built from breach corpora. That is well above the 10,000 most common we require, so no list
 * file is shipped in the repo. The package stores it compressed and decompresses it when first
 * required, so it is required lazily here, on the first check, and kept once as a Set.
 */
export const COMMON_PASSWORDS_SOURCE = '@zxcvbn-ts/language-common passwords-common';

/** The shortest core (see {@link commonPasswordCore}) that is looked up on its own. */
export const COMMON_PASSWORD_MIN_CORE_LENGTH = 4;

let commonPasswords: ReadonlySet<string> | undefined;

/** How a password and the list entries are compared: NFC, then lower case (locale independent). */
export function canonicalPassword(password: string): string {
  return password.normalize('NFC').toLowerCase();
}

/** The list as a Set of canonical entries, built once, on first use. */
export function commonPasswordSet(): ReadonlySet<string> {
  if (!commonPasswords) {
    // Lazy on purpose: importing the package decompresses ~500 KB of dictionaries.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    commonPasswords = new Set(dictionary['passwords-common'].map((entry) => canonicalPassword(String(entry))));
  }
  return commonPasswords;
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
export function isCommonPassword(password: string): boolean {
  const list = commonPasswordSet();
  if (list.has(canonicalPassword(password))) return true;
  const core = commonPasswordCore(password);
  return [...core].length >= COMMON_PASSWORD_MIN_CORE_LENGTH && list.has(core);
}
