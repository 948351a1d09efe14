import { createHash } from 'node:crypto';
import { CryptoSecureRandom, SecureRandom } from '@app/platform';
import {
  CodeHasher,
  isWellFormedRecoveryCode,
  newNumericCode,
  newRecoveryCodes,
  normalizeRecoveryCode,
  RECOVERY_CODE_ALPHABET,
  RECOVERY_CODE_BITS,
  RECOVERY_CODE_LENGTH,
} from './one-time-codes';

/** Returns the given buffers in order; fails the test if asked for more, or for another length. */
class ScriptedRandom extends SecureRandom {
  private readonly queue: Buffer[];
  constructor(...chunks: Buffer[]) {
    super();
    this.queue = [...chunks];
  }
  get remaining(): number {
    return this.queue.length;
  }
  override bytes(length: number): Buffer {
    const next = this.queue.shift();
    if (!next) throw new Error('ScriptedRandom ran out of bytes');
    if (next.length !== length) throw new Error(`asked for ${length} bytes, scripted ${next.length}`);
    return next;
  }
}

/** Deterministic, well-mixed bytes (SHA-256 in counter mode): statistics without flaky runs. */
class DeterministicRandom extends SecureRandom {
  private counter = 0;
  override bytes(length: number): Buffer {
    const blocks: Buffer[] = [];
    for (let size = 0; size < length; size += 32)
      blocks.push(createHash('sha256').update(`seed:${this.counter++}`).digest());
    return Buffer.concat(blocks).subarray(0, length);
  }
}

const uint32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
};

describe('newNumericCode', () => {
  // 2^32 = 4,294,967,296; the largest multiple of 10^6 below it is 4,294,000,000.
  const LIMIT_6 = 4_294_000_000;

  it.each([
    [0, '000000'],
    [7, '000007'],
    [1_000_000, '000000'],
    [123_456_789, '456789'],
    [LIMIT_6 - 1, '999999'],
  ])('maps the draw %i to %s', (draw, code) => {
    expect(newNumericCode(new ScriptedRandom(uint32(draw)))).toBe(code);
  });

  it('discards draws at or above the largest multiple of 10^6 (no modulo bias) and draws again', () => {
    const random = new ScriptedRandom(uint32(LIMIT_6), uint32(0xffffffff), uint32(LIMIT_6 + 967_295), uint32(42));
    expect(newNumericCode(random)).toBe('000042');
    expect(random.remaining).toBe(0);
  });

  it('discards for other lengths at their own limit (1 digit: 4,294,967,290)', () => {
    const random = new ScriptedRandom(uint32(4_294_967_290), uint32(4_294_967_289));
    expect(newNumericCode(random, 1)).toBe('9');
    expect(random.remaining).toBe(0);
  });

  it('spreads single digits evenly over 60,000 draws', () => {
    const random = new DeterministicRandom();
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 60_000; i++) counts[Number(newNumericCode(random, 1))]++;
    // Expected 6,000 each, standard deviation ~73; the input is fixed, so this never flakes.
    for (const count of counts) expect(Math.abs(count - 6_000)).toBeLessThan(300);
  });

  it('gives six digits, zero-padded, from the real CSPRNG', () => {
    const random = new CryptoSecureRandom();
    const codes = Array.from({ length: 1_000 }, () => newNumericCode(random));
    for (const code of codes) expect(code).toMatch(/^[0-9]{6}$/);
    // ~0.5 collisions expected among 1,000 codes; 10 or more has probability ~1e-10.
    expect(new Set(codes).size).toBeGreaterThan(990);
  });

  it('gives up on a random source that only returns rejected values, instead of hanging', () => {
    const stuck = new (class extends SecureRandom {
      override bytes(): Buffer {
        return uint32(0xffffffff);
      }
    })();
    expect(() => newNumericCode(stuck)).toThrow(/out-of-range/);
  });

  it.each([0, 10, 1.5])('refuses %p digits', (digits) => {
    expect(() => newNumericCode(new CryptoSecureRandom(), digits)).toThrow(RangeError);
  });
});

describe('recovery codes', () => {
  it('have at least 50 bits each: 32 symbols ** 12 >= 2 ** 50', () => {
    expect(new Set(RECOVERY_CODE_ALPHABET).size).toBe(32);
    expect(RECOVERY_CODE_ALPHABET.length ** RECOVERY_CODE_LENGTH).toBeGreaterThanOrEqual(2 ** 50);
    expect(RECOVERY_CODE_BITS).toBe(60);
  });

  it('use an alphabet without look-alikes (i, l, o) or upper case', () => {
    expect(RECOVERY_CODE_ALPHABET).not.toMatch(/[ilouA-Z]/);
  });

  it('come ten at a time, as xxxx-xxxx-xxxx in lower case, all different', () => {
    const codes = newRecoveryCodes(new CryptoSecureRandom());
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes)
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
  });

  it('map each byte of the injected SecureRandom to one symbol (its low 5 bits)', () => {
    const bytes = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 31 + 32 * 7]);
    expect(newRecoveryCodes(new ScriptedRandom(bytes), 1)).toEqual(['0123-4567-89az']);
  });

  it('draw again on a duplicate, and give up on a random source that repeats itself', () => {
    const a = Buffer.alloc(12, 1);
    const b = Buffer.alloc(12, 2);
    expect(newRecoveryCodes(new ScriptedRandom(a, a, b), 2)).toEqual(['1111-1111-1111', '2222-2222-2222']);
    const constant = new (class extends SecureRandom {
      override bytes(length: number): Buffer {
        return Buffer.alloc(length);
      }
    })();
    expect(() => newRecoveryCodes(constant, 2)).toThrow(/repeating/);
  });

  it.each([
    ['as shown', 'abcd-efgh-jkmn', 'abcdefghjkmn'],
    ['upper case, padded', '  ABCD-EFGH-JKMN \n', 'abcdefghjkmn'],
    ['with spaces instead of dashes', 'abcd efgh jkmn', 'abcdefghjkmn'],
    ['run together', 'abcdefghjkmn', 'abcdefghjkmn'],
    ['with look-alike letters for 0 and 1', 'OIL0-1abc-defg', '01101abcdefg'],
  ])('normalise when typed %s', (_name, input, expected) => {
    expect(normalizeRecoveryCode(input)).toBe(expected);
    expect(isWellFormedRecoveryCode(normalizeRecoveryCode(input))).toBe(true);
  });

  it('normalise every generated code to a well-formed one', () => {
    for (const code of newRecoveryCodes(new CryptoSecureRandom(), 50)) {
      expect(isWellFormedRecoveryCode(normalizeRecoveryCode(code))).toBe(true);
      expect(normalizeRecoveryCode(code.toUpperCase().replace(/-/g, ' '))).toBe(code.replace(/-/g, ''));
    }
  });

  it.each(['', 'abcd-efgh-jkm', 'abcd-efgh-jkmnp', 'abcd-efgh-jkmu', 'abcd-efgh-jkm!'])(
    'reject %j as malformed',
    (input) => {
      expect(isWellFormedRecoveryCode(normalizeRecoveryCode(input))).toBe(false);
    },
  );
});

describe('CodeHasher', () => {
  const key = Buffer.alloc(32, 0x11);
  const hasher = new CodeHasher(key);
  const purpose = 'email-code:challenge-1';

  it('gives the same 64-character hex hash for the same code, purpose and key', () => {
    const hash = hasher.hash('123456', purpose);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hasher.hash('123456', purpose)).toBe(hash);
    expect(new CodeHasher(Buffer.from(key)).hash('123456', purpose)).toBe(hash);
  });

  it('keeps the stored-hash format stable (a change would invalidate every stored code)', () => {
    expect(hasher.hash('123456', purpose)).toBe(PINNED_HASH);
  });

  it('matches the right code only', () => {
    const hash = hasher.hash('123456', purpose);
    expect(hasher.matches('123456', purpose, hash)).toBe(true);
    expect(hasher.matches('123457', purpose, hash)).toBe(false);
    expect(hasher.matches('', purpose, hash)).toBe(false);
  });

  it('separates purposes: the same code for another challenge or user does not match', () => {
    const hash = hasher.hash('123456', purpose);
    expect(hasher.hash('123456', 'email-code:challenge-2')).not.toBe(hash);
    expect(hasher.matches('123456', 'email-code:challenge-2', hash)).toBe(false);
    expect(hasher.matches('123456', 'recovery-code:challenge-1', hash)).toBe(false);
  });

  it('cannot be fooled by moving characters between purpose and code', () => {
    expect(hasher.hash('bc', 'x:a')).not.toBe(hasher.hash('c', 'x:ab'));
  });

  it('needs the same key: another key neither reproduces nor matches the hash', () => {
    const hash = hasher.hash('123456', purpose);
    const other = new CodeHasher(Buffer.alloc(32, 0x22));
    expect(other.hash('123456', purpose)).not.toBe(hash);
    expect(other.matches('123456', purpose, hash)).toBe(false);
  });

  it('is not a plain SHA-256 of the code (which is reversed offline in a second)', () => {
    const hash = hasher.hash('123456', purpose);
    expect(hash).not.toBe(createHash('sha256').update('123456').digest('hex'));
    expect(hash).not.toBe(createHash('sha256').update(`${purpose}123456`).digest('hex'));
  });

  it.each(['', 'abc', 'not hex at all', '€'.repeat(21) + 'x'])(
    'never matches a malformed expected hash %j',
    (expected) => {
      expect(hasher.matches('123456', purpose, expected)).toBe(false);
    },
  );

  it('never matches the upper-case form (hashes are stored as produced)', () => {
    expect(hasher.matches('123456', purpose, hasher.hash('123456', purpose).toUpperCase())).toBe(false);
  });

  it('needs a purpose and a 32-byte key', () => {
    expect(() => hasher.hash('123456', '')).toThrow(TypeError);
    expect(() => new CodeHasher(Buffer.alloc(16))).toThrow(RangeError);
  });
});

/**
 * HMAC-SHA256(HKDF-SHA256(key 0x11 * 32, no salt, 'account-security/code-hasher/v1'),
 * uint32be(22) || 'email-code:challenge-1' || '123456'), computed independently with Python's hmac.
 */
const PINNED_HASH = '228f6bd4a9b6bdb1c25f756328a497464f9063e4161cba91a1e30b4f79849695';
