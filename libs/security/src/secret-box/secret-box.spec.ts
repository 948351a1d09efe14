import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError, SecretBoxFailure } from './secret-box';

const KEY = Buffer.alloc(32, 7);
const AD = 'user:42:totp-seed';
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Replaces part `index` of `v1.<iv>.<ciphertext>.<tag>` (0 = version). */
function withPart(sealed: string, index: number, replace: (part: string) => string): string {
  const parts = sealed.split('.');
  parts[index] = replace(parts[index]);
  return parts.join('.');
}

/** Flips one bit of a base64url part, keeping it well-formed, so only authentication can catch it. */
function flipFirstBit(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] ^= 0x01;
  return bytes.toString('base64url');
}

function failureOf(open: () => unknown): SecretBoxFailure {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretBoxError);
    return (error as SecretBoxError).reason;
  }
  throw new Error('expected open() to throw');
}

describe('SecretBox', () => {
  const box = new SecretBox(KEY);

  it.each([
    ['ASCII', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'],
    ['Unicode (accents, CJK, emoji)', 'Grüße 漢字 🔐 ﬁ'],
    ['an empty string', ''],
    ['a long text', 'x'.repeat(10_000)],
  ])('round-trips %s', (_name, plaintext) => {
    expect(box.open(box.seal(plaintext, AD), AD)).toBe(plaintext);
  });

  it('outputs v1.<12-byte iv>.<ciphertext>.<16-byte tag> in base64url', () => {
    const [version, iv, ciphertext, tag, ...rest] = box.seal('secret', AD).split('.');
    expect(version).toBe('v1');
    expect(rest).toEqual([]);
    for (const part of [iv, ciphertext, tag]) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(ciphertext, 'base64url')).toHaveLength(6); // GCM is a stream mode: no padding
    expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
  });

  it('uses a fresh IV each time, so sealing the same text twice gives different outputs', () => {
    const first = box.seal('same text', AD);
    const second = box.seal('same text', AD);
    expect(first).not.toBe(second);
    expect(first.split('.')[1]).not.toBe(second.split('.')[1]);
  });

  it.each([
    ['the iv', 1],
    ['the ciphertext', 2],
    ['the tag', 3],
  ])('refuses a bit flipped in %s', (_name, index) => {
    const tampered = withPart(box.seal('secret', AD), index, flipFirstBit);
    expect(failureOf(() => box.open(tampered, AD))).toBe('authentication_failed');
  });

  it('refuses a ciphertext that was cut short or extended', () => {
    const sealed = box.seal('secret', AD);
    const shorter = withPart(sealed, 2, (part) => Buffer.from(part, 'base64url').subarray(1).toString('base64url'));
    const longer = withPart(sealed, 2, (part) =>
      Buffer.concat([Buffer.from(part, 'base64url'), Buffer.from([0])]).toString('base64url'),
    );
    expect(failureOf(() => box.open(shorter, AD))).toBe('authentication_failed');
    expect(failureOf(() => box.open(longer, AD))).toBe('authentication_failed');
  });

  it.each(['v2', 'V1', 'v0', ''])('refuses the version %j', (version) => {
    const tampered = withPart(box.seal('secret', AD), 0, () => version);
    expect(failureOf(() => box.open(tampered, AD))).toBe('unsupported_version');
  });

  it("refuses another owner's associated data (a ciphertext replayed into another record)", () => {
    const sealed = box.seal('secret', 'user:42:totp-seed');
    expect(failureOf(() => box.open(sealed, 'user:43:totp-seed'))).toBe('authentication_failed');
    expect(failureOf(() => box.open(sealed, 'user:42:recovery-codes'))).toBe('authentication_failed');
  });

  it('refuses another key', () => {
    const sealed = box.seal('secret', AD);
    expect(failureOf(() => new SecretBox(randomBytes(32)).open(sealed, AD))).toBe('authentication_failed');
  });

  it('refuses a truncated 12-byte tag (Node accepts short GCM tags unless told the length)', () => {
    const truncated = withPart(box.seal('secret', AD), 3, (part) =>
      Buffer.from(part, 'base64url').subarray(0, 12).toString('base64url'),
    );
    expect(failureOf(() => box.open(truncated, AD))).toBe('malformed');
  });

  it('refuses a non-canonical base64url part that decodes to the same bytes', () => {
    const sealed = box.seal('secret', AD);
    // A 16-byte tag is 22 characters; the low 4 bits of the last one are padding, ignored by Node.
    const tampered = withPart(sealed, 3, (part) => {
      const last = BASE64URL_ALPHABET.indexOf(part[part.length - 1]);
      return part.slice(0, -1) + BASE64URL_ALPHABET[last ^ 0x01];
    });
    expect(Buffer.from(tampered.split('.')[3], 'base64url')).toEqual(Buffer.from(sealed.split('.')[3], 'base64url'));
    expect(failureOf(() => box.open(tampered, AD))).toBe('malformed');
  });

  it.each<[string, unknown]>([
    ['an empty string', ''],
    ['no separators', 'v1'],
    ['three parts', 'v1.AAAAAAAAAAAAAAAA.AAAA'],
    ['five parts', 'v1.a.b.c.d'],
    ['standard base64 characters', 'v1.AAAAAAAAAAAAAAAA.ab+/.AAAAAAAAAAAAAAAAAAAAAA'],
    ['padding', 'v1.AAAAAAAAAAAAAAAA.YQ==.AAAAAAAAAAAAAAAAAAAAAA'],
    ['spaces', 'v1.AAAAAAAAAAAAAAAA.YW Jj.AAAAAAAAAAAAAAAAAAAAAA'],
    ['an empty iv', 'v1..YWJj.AAAAAAAAAAAAAAAAAAAAAA'],
    ['an empty tag', 'v1.AAAAAAAAAAAAAAAA.YWJj.'],
    ['a non-string', null],
  ])('refuses a malformed input: %s', (_name, sealed) => {
    expect(failureOf(() => box.open(sealed as string, AD))).toBe('malformed');
  });

  it('needs non-empty associated data, so the owner binding cannot be forgotten', () => {
    expect(() => box.seal('secret', '')).toThrow(TypeError);
    expect(failureOf(() => box.open(box.seal('secret', AD), ''))).toBe('authentication_failed');
  });

  it('needs a 32-byte key', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(RangeError);
    expect(() => new SecretBox(Buffer.alloc(33))).toThrow(RangeError);
  });

  it('keeps its own copy of the key', () => {
    const key = randomBytes(32);
    const ownBox = new SecretBox(key);
    const sealed = ownBox.seal('secret', AD);
    key.fill(0);
    expect(ownBox.open(sealed, AD)).toBe('secret');
  });
});
