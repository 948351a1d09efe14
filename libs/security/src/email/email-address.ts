import { domainToASCII, domainToUnicode } from 'node:url';
import isEmail from 'validator/lib/isEmail';

export type EmailAddressProblem = 'invisible_character' | 'quoted_local_part' | 'format' | 'domain' | 'mixed_script';

export const EMAIL_ADDRESS_PROBLEMS: Record<EmailAddressProblem, string> = {
  invisible_character: 'email must not contain spaces, control, invisible or formatting characters',
  quoted_local_part: 'email must not have a quoted part before the @',
  format: 'email must be a valid email address',
  domain: 'email must have a valid domain name',
  mixed_script: 'email must not mix alphabets in one part of its domain (a look-alike of another domain)',
};

/** Control (incl. CR/LF, NUL), format (zero-width, bidi controls), separators, private-use, unassigned. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\s]/u;

/**
 * Scripts told apart in a domain label (Unicode property escapes: the engine's tables, kept
 * current with Unicode). Digits, hyphens and marks (Common, Inherited) go with any script.
 */
const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Georgian',
  'Hangul',
  'Ethiopic',
  'Cherokee',
  'Khmer',
  'Mongolian',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Han',
].map((name) => ({ name, pattern: new RegExp(`\\p{Script=${name}}`, 'u') }));
const NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u;
/** Script sets that are one writing system (UTS #39 "highly restrictive"): Japanese, Korean, Chinese with Bopomofo. */
const ALLOWED_MIXES = [
  new Set(['Han', 'Hiragana', 'Katakana']),
  new Set(['Han', 'Hangul']),
  new Set(['Han', 'Bopomofo']),
];

function scriptsOf(label: string): Set<string> {
  const scripts = new Set<string>();
  for (const char of label) {
    if (NEUTRAL.test(char)) continue;
    scripts.add(SCRIPTS.find((script) => script.pattern.test(char))?.name ?? `other:${char}`);
  }
  return scripts;
}

function isSingleWritingSystem(scripts: Set<string>): boolean {
  return scripts.size <= 1 || ALLOWED_MIXES.some((mix) => [...scripts].every((script) => mix.has(script)));
}

/**
 * What is wrong with an address as a mail system would see it, or null. On top of validator.js's
 * isEmail (no display name, no IP literal, a top-level domain): nothing invisible (CR/LF could
 * inject mail headers; zero-width characters make two addresses look alike), no quoted local part,
 * a domain that converts to IDNA (punycode) form, and no label mixing alphabets, as "pаypal" with
 * a Cyrillic "а" does. Unicode local parts (SMTPUTF8) and IDN domains in one script are accepted.
 */
export function emailAddressProblem(value: string): EmailAddressProblem | null {
  if (INVISIBLE.test(value)) return 'invisible_character';
  const at = value.lastIndexOf('@');
  if (at <= 0) return 'format';
  if (value.startsWith('"')) return 'quoted_local_part';
  if (!isEmail(value, { allow_display_name: false, allow_ip_domain: false, require_tld: true })) return 'format';
  const domain = value.slice(at + 1);
  const ascii = domainToASCII(domain);
  if (!ascii) return 'domain';
  const labels = domainToUnicode(ascii).split('.');
  return labels.every((label) => isSingleWritingSystem(scriptsOf(label))) ? null : 'mixed_script';
}
