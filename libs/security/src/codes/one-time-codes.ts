import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { SecureRandom } from '@app/platform';

const UINT32_RANGE = 2 ** 32;

/**
 * A numeric code (email codes: 6 digits) uniform over 0..10^digits-1, zero-padded. A random uint32
 * taken modulo 10^6 would favour the first 967,296 values (2^32 is not a multiple of 10^6), so
 * draws at or above the largest multiple of 10^digits below 2^32 are discarded and redrawn
 * (rejection sampling; for 6 digits that happens once in ~4,400 draws).
 */
export function newNumericCode(random: SecureRandom, digits = 6): string {
  if (!Number.isInteger(digits) || digits < 1 || digits > 9) throw new RangeError('digits must be from 1 to 9');
  const range = 10 ** digits;
  const limit = Math.floor(UINT32_RANGE / range) * range;
  // 32 rejections in a row: below 2^-120 even for 9 digits (the worst case); only a broken source.
  for (let draws = 0; draws < 32; draws++) {
    const value = random.bytes(4).readUInt32BE(0);
    if (value < limit) return String(value % range).padStart(digits, '0');
  }
  throw new Error('SecureRandom keeps returning out-of-range values');
}

/**
 * Crockford's Base32 alphabet in lower case: no i, l, o (read as 1, 1, 0 when typed) and no u.
 * 32 symbols = 5 bits each; 256 is a multiple of 32, so masking a random byte is unbiased.
 */
export const RECOVERY_CODE_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const RECOVERY_CODE_LENGTH = 12;
/** 12 symbols of 5 bits: 60 bits per code (DESIGN.md asks for at least 50). */
export const RECOVERY_CODE_BITS = RECOVERY_CODE_LENGTH * Math.log2(RECOVERY_CODE_ALPHABET.length);
const WELL_FORMED_RECOVERY_CODE = new RegExp(`^[${RECOVERY_CODE_ALPHABET}]{${RECOVERY_CODE_LENGTH}}$`);

/** `count` distinct recovery codes shown as `xxxx-xxxx-xxxx`; store and compare them normalised. */
export function newRecoveryCodes(random: SecureRandom, count = 10): string[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
  const codes = new Set<string>();
  // A duplicate has probability ~count^2 / 2^61; more than a few means the random source is broken.
  for (let draws = 0; codes.size < count; draws++) {
    if (draws >= count + 10) throw new Error('SecureRandom keeps repeating itself');
    const symbols = [...random.bytes(RECOVERY_CODE_LENGTH)].map((byte) => RECOVERY_CODE_ALPHABET[byte & 0x1f]).join('');
    codes.add(symbols.match(/.{4}/g)!.join('-'));
  }
  return [...codes];
}

/**
 * What a user typed, in the stored form: trimmed, lower case, without spaces or dashes, and with
 * the look-alikes the alphabet leaves out read as the digits they resemble (o -> 0, i/l -> 1).
 */
export function normalizeRecoveryCode(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '')
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
}

/** True when a normalised input can be a recovery code (refuse junk before hashing it). */
export function isWellFormedRecoveryCode(normalized: string): boolean {
  return WELL_FORMED_RECOVERY_CODE.test(normalized);
}

/**
 * Hashes one-time codes (email codes, recovery codes) for storage: HMAC-SHA256 with a server key,
 * because a plain hash of a 6-digit code is reversed offline by trying all 10^6 values in well
 * under a second, while without the key the hashes in a leaked event log reveal nothing.
 *
 * `purpose` separates domains (`email-code:<challengeId>`, `recovery-code:<userId>`): the same
 * code for another challenge or user hashes differently, so a hash cannot be replayed elsewhere.
 * It is length-prefixed so no (purpose, code) pair can be confused with another. The HMAC key is
 * derived from the configured one with HKDF, so that key can also serve other uses safely.
 * Codes are hashed as given: callers normalise first (normalizeRecoveryCode).
 */
export class CodeHasher {
  private readonly hmacKey: Buffer;

  constructor(key: Buffer) {
    if (key.length < 32) throw new RangeError('CodeHasher needs a key of at least 32 bytes');
    this.hmacKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'account-security/code-hasher/v1', 32));
  }

  /** Lower-case hex HMAC-SHA256 (64 characters). */
  hash(code: string, purpose: string): string {
    if (purpose.length === 0) throw new TypeError('CodeHasher needs a purpose (e.g. email-code:<challengeId>)');
    const purposeBytes = Buffer.from(purpose, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(purposeBytes.length);
    return createHmac('sha256', this.hmacKey).update(length).update(purposeBytes).update(code, 'utf8').digest('hex');
  }

  /** Constant-time comparison; a malformed expected hash never matches. */
  matches(code: string, purpose: string, expectedHash: string): boolean {
    const actual = Buffer.from(this.hash(code, purpose), 'utf8');
    const expected = Buffer.from(expectedHash, 'utf8');
    // Lengths are public (always 64); timingSafeEqual needs equal lengths and throws otherwise.
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}
