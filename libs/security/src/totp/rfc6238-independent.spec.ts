import { randomBytes } from 'node:crypto';
import {
  base32Decode,
  base32Encode,
  hotp,
  RFC6238_SHA1_SEED_ASCII,
  RFC6238_SHA1_VECTORS,
  totp,
} from '../../../../test/support/rfc6238';
import { totpCodeAt, verifyTotp } from './totp';

/**
 * The end-to-end tests compute TOTP codes with test/support/rfc6238.ts, written on node:crypto
 * alone. This proves that implementation right on its own (RFC vectors), then that it agrees
 * with the service's otpauth-based functions on random secrets and times.
 */
describe('independent RFC 6238 implementation (test/support/rfc6238.ts)', () => {
  const seedBase32 = base32Encode(Buffer.from(RFC6238_SHA1_SEED_ASCII, 'latin1'));

  it('encodes the RFC seed as the well-known Base32 string and decodes it back', () => {
    expect(seedBase32).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(seedBase32).toString('latin1')).toBe(RFC6238_SHA1_SEED_ASCII);
  });

  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('matches the RFC 4648 Base32 test vector %j', (text, base32) => {
    expect(base32Encode(Buffer.from(text))).toBe(base32);
    expect(base32Decode(base32).toString()).toBe(text);
    expect(base32Decode(`${base32}${'='.repeat((8 - (base32.length % 8)) % 8)}`).toString()).toBe(text);
  });

  it.each([
    [0, '755224'],
    [1, '287082'],
    [9, '520489'],
  ])('matches the RFC 4226 HOTP vector for counter %i', (counter, code) => {
    expect(hotp(Buffer.from(RFC6238_SHA1_SEED_ASCII, 'latin1'), counter)).toBe(code);
  });

  it.each(RFC6238_SHA1_VECTORS)('gives the RFC 6238 8-digit vector at %i s', (seconds, expected) => {
    expect(totp(seedBase32, new Date(seconds * 1000), 8)).toBe(expected);
  });

  it.each(RFC6238_SHA1_VECTORS)('gives the last six digits at %i s by default', (seconds, expected) => {
    expect(totp(seedBase32, new Date(seconds * 1000))).toBe(expected.slice(-6));
  });

  it('refuses a character outside the Base32 alphabet', () => {
    expect(() => base32Decode('GEZDGNB1')).toThrow(/Base32/);
  });

  it("agrees with the service's totpCodeAt and verifyTotp on random secrets and times", () => {
    for (let i = 0; i < 200; i++) {
      const secret = base32Encode(randomBytes(20));
      const at = new Date(randomBytes(4).readUInt32BE(0) * 1000 + (i % 30_000));
      const code = totp(secret, at);
      expect(totpCodeAt(secret, at)).toBe(code);
      expect(verifyTotp(secret, code, at)).toEqual({ valid: true, timeStep: Math.floor(at.getTime() / 30_000) });
    }
  });
});
