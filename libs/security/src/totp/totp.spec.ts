import { CryptoSecureRandom, SecureRandom } from '@app/platform';
import { Secret, TOTP, URI } from 'otpauth';
import { RFC6238_SHA1_SEED_ASCII as RFC_SEED_ASCII, RFC6238_SHA1_VECTORS } from '../../../../test/support/rfc6238';
import { newTotpSecret, totpCodeAt, totpTimeStep, totpUri, verifyTotp } from './totp';

/** Base32 of the RFC 6238 SHA-1 seed, ASCII `12345678901234567890`. */
const RFC_SEED_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const at = (seconds: number) => new Date(seconds * 1000);

class FixedRandom extends SecureRandom {
  readonly requests: number[] = [];
  constructor(private readonly source: Buffer) {
    super();
  }
  override bytes(length: number): Buffer {
    this.requests.push(length);
    return Buffer.from(this.source.subarray(0, length));
  }
}

describe('TOTP (RFC 6238 through otpauth)', () => {
  it('uses the Base32 form of the RFC seed', () => {
    expect(Secret.fromLatin1(RFC_SEED_ASCII).base32).toBe(RFC_SEED_BASE32);
  });

  it.each(RFC6238_SHA1_VECTORS)('otpauth with 8 digits gives the RFC vector at %i s', (seconds, expected) => {
    const code = TOTP.generate({
      secret: Secret.fromBase32(RFC_SEED_BASE32),
      algorithm: 'SHA1',
      digits: 8,
      period: 30,
      timestamp: seconds * 1000,
    });
    expect(code).toBe(expected);
  });

  it.each(RFC6238_SHA1_VECTORS)(
    'totpCodeAt gives the last six digits of the RFC vector at %i s',
    (seconds, expected) => {
      expect(totpCodeAt(RFC_SEED_BASE32, at(seconds))).toBe(expected.slice(-6));
    },
  );

  it.each(RFC6238_SHA1_VECTORS)(
    'verifyTotp accepts the 6-digit RFC code at %i s in its own step',
    (seconds, expected) => {
      expect(verifyTotp(RFC_SEED_BASE32, expected.slice(-6), at(seconds))).toEqual({
        valid: true,
        timeStep: Math.floor(seconds / 30),
      });
    },
  );
});

describe('verifyTotp', () => {
  const now = at(1111111111); // step 37037037, 1 s into it
  const step = Math.floor(1111111111 / 30);
  const codeAtStep = (target: number) => totpCodeAt(RFC_SEED_BASE32, at(target * 30 + 5));

  it('computes the absolute time step as floor(epoch seconds / 30)', () => {
    expect(totpTimeStep(now)).toBe(step);
    expect(totpTimeStep(at(59))).toBe(1);
    expect(totpTimeStep(at(60))).toBe(2);
  });

  it.each([
    ['the current step', 0],
    ['the previous step', -1],
    ['the next step', 1],
  ])('accepts a code of %s and reports its absolute step', (_name, delta) => {
    expect(verifyTotp(RFC_SEED_BASE32, codeAtStep(step + delta), now)).toEqual({ valid: true, timeStep: step + delta });
  });

  it.each([-2, 2, -3, 3])('refuses a code %i steps away', (delta) => {
    const code = codeAtStep(step + delta);
    // Sanity: the code differs from the three acceptable ones (else the test would prove nothing).
    expect([-1, 0, 1].map((d) => codeAtStep(step + d))).not.toContain(code);
    expect(verifyTotp(RFC_SEED_BASE32, code, now)).toEqual({ valid: false });
  });

  it("reports a reused code's own step 30 s later, so the caller's <= check refuses the replay", () => {
    const code = codeAtStep(step);
    const first = verifyTotp(RFC_SEED_BASE32, code, now);
    const thirtySecondsLater = verifyTotp(RFC_SEED_BASE32, code, at(1111111111 + 30));
    expect(first).toEqual({ valid: true, timeStep: step });
    // Still accepted (now as the previous step) but with the same absolute step: <= the last accepted.
    expect(thirtySecondsLater).toEqual({ valid: true, timeStep: step });
  });

  it.each([
    'abcdef',
    '12345',
    '1234567',
    ' 123456',
    '123456 ',
    '123456\n',
    '12345é',
    '１２３４５６',
    '',
    '12 345',
    '-12345',
    '+12345',
  ])('refuses %j before checking', (input) => {
    expect(verifyTotp(RFC_SEED_BASE32, input, now)).toEqual({ valid: false });
  });

  it('refuses the right digits with surrounding spaces (callers trim if they want to)', () => {
    expect(verifyTotp(RFC_SEED_BASE32, ` ${codeAtStep(step)}`, now)).toEqual({ valid: false });
  });

  it('throws on a corrupted secret or an invalid date rather than answering', () => {
    expect(() => verifyTotp('not base32!', '123456', now)).toThrow(TypeError);
    expect(() => verifyTotp(RFC_SEED_BASE32.toLowerCase(), '123456', now)).toThrow(TypeError);
    expect(() => verifyTotp('GEZDGNBV', '123456', now)).toThrow(RangeError); // 40 bits
    expect(() => verifyTotp(RFC_SEED_BASE32, '123456', new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('newTotpSecret', () => {
  it('turns 20 bytes from the injected SecureRandom into 32 Base32 characters', () => {
    const random = new FixedRandom(Buffer.from(RFC_SEED_ASCII, 'latin1'));
    expect(newTotpSecret(random)).toBe(RFC_SEED_BASE32);
    expect(random.requests).toEqual([20]);
  });

  it('gives 160-bit unpadded Base32 secrets that differ', () => {
    const random = new CryptoSecureRandom();
    const first = newTotpSecret(random);
    expect(first).toMatch(/^[A-Z2-7]{32}$/);
    expect(Secret.fromBase32(first).bytes).toHaveLength(20);
    expect(newTotpSecret(random)).not.toBe(first);
  });

  it('is not fooled by a pooled Buffer (a view on a larger ArrayBuffer)', () => {
    const pool = Buffer.alloc(64, 0xff);
    Buffer.from(RFC_SEED_ASCII, 'latin1').copy(pool, 10);
    const view = pool.subarray(10, 30);
    const random = new (class extends SecureRandom {
      override bytes(): Buffer {
        return view;
      }
    })();
    expect(newTotpSecret(random)).toBe(RFC_SEED_BASE32);
  });

  it('refuses a SecureRandom that returns too few bytes', () => {
    expect(() => newTotpSecret(new FixedRandom(Buffer.alloc(10)))).toThrow(RangeError);
  });
});

describe('totpUri', () => {
  const issuer = 'Account Security';
  const account = 'ada+test@example.com';

  it('builds the Key URI with issuer and account percent-encoded', () => {
    expect(totpUri({ issuer, account, secret: RFC_SEED_BASE32 })).toBe(
      'otpauth://totp/Account%20Security:ada%2Btest%40example.com' +
        `?issuer=Account%20Security&secret=${RFC_SEED_BASE32}&algorithm=SHA1&digits=6&period=30`,
    );
  });

  it("round-trips through otpauth's URI parser", () => {
    const parsed = URI.parse(totpUri({ issuer, account, secret: RFC_SEED_BASE32 }));
    expect(parsed).toBeInstanceOf(TOTP);
    const totp = parsed as TOTP;
    expect(totp).toMatchObject({ issuer, label: account, algorithm: 'SHA1', digits: 6, period: 30 });
    expect(totp.secret.base32).toBe(RFC_SEED_BASE32);
    expect(totp.generate({ timestamp: 59_000 })).toBe('287082');
  });

  it('round-trips through the WHATWG URL parser (what other apps use)', () => {
    const url = new URL(totpUri({ issuer, account, secret: RFC_SEED_BASE32 }));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe(`/${issuer}:${account}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      issuer,
      secret: RFC_SEED_BASE32,
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });

  it.each([
    ['an issuer with a colon', { issuer: 'Acme: Security', account }],
    ['an account with a colon', { issuer, account: 'ada:test@example.com' }],
    ['an empty issuer', { issuer: ' ', account }],
    ['an empty account', { issuer, account: '' }],
  ])('refuses %s', (_name, parts) => {
    expect(() => totpUri({ ...parts, secret: RFC_SEED_BASE32 })).toThrow(RangeError);
  });
});
