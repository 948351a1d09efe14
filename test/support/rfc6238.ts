import { createHmac } from 'node:crypto';

/**
 * A small, independent RFC 6238 (TOTP over RFC 4226 HOTP, HMAC-SHA1, 30 s) on node:crypto only.
 * End-to-end tests compute codes with this, not with the library the service uses, so a bug shared
 * by the service and its tests (wrong period, wrong Base32, wrong truncation) cannot hide.
 */

/** RFC 6238 appendix B: the SHA-1 seed is this ASCII string. */
export const RFC6238_SHA1_SEED_ASCII = '12345678901234567890';
/** [Unix seconds, 8-digit code] from RFC 6238 appendix B, SHA-1; a 6-digit code is the last six. */
export const RFC6238_SHA1_VECTORS: ReadonlyArray<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const PERIOD_SECONDS = 30;

/** The TOTP code for a Base32 secret at a given time. */
export function totp(secretBase32: string, at: Date, digits = 6): string {
  const step = Math.floor(at.getTime() / 1000 / PERIOD_SECONDS);
  return hotp(base32Decode(secretBase32), step, digits);
}

/** RFC 4226 section 5.3: HMAC-SHA1 of the 8-byte big-endian counter, then dynamic truncation. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 4648 Base32 (upper case; padding optional). */
export function base32Decode(input: string): Buffer {
  const text = input.replace(/=+$/, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value < 0) throw new Error(`Not a Base32 character: ${JSON.stringify(char)}`);
    buffer = ((buffer << 5) | value) & 0xfff; // never more than 12 bits pending
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 4648 Base32 without padding (to build fixtures from known bytes). */
export function base32Encode(bytes: Buffer): string {
  let output = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      output += BASE32_ALPHABET[(buffer >> bits) & 0x1f];
    }
  }
  if (bits > 0) output += BASE32_ALPHABET[(buffer << (5 - bits)) & 0x1f];
  return output;
}
