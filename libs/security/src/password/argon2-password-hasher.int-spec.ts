import { ConcurrencyLimiter } from '../concurrency/concurrency-limiter';
import { Argon2PasswordHasher } from './argon2-password-hasher';

describe('Argon2PasswordHasher', () => {
  const hasher = new Argon2PasswordHasher(
    { memoryKiB: 19_456, timeCost: 2, parallelism: 1 },
    new ConcurrencyLimiter(2, 16),
  );

  it('hashes with argon2id at the configured parameters and a unique salt', async () => {
    const a = await hasher.hash('correct horse battery staple');
    const b = await hasher.hash('correct horse battery staple');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(hasher.needsRehash(a)).toBe(false);
  });

  it('verifies exactly: no truncation, no case folding, any Unicode', async () => {
    const long = 'p'.repeat(127) + 'X';
    const hash = await hasher.hash(long);
    expect(await hasher.verify(hash, long)).toBe(true);
    expect(await hasher.verify(hash, 'p'.repeat(127) + 'x')).toBe(false);
    expect(await hasher.verify(hash, 'p'.repeat(127))).toBe(false);

    const unicode = 'Grüße-漢字-パスワード-2026';
    const unicodeHash = await hasher.hash(unicode);
    expect(await hasher.verify(unicodeHash, unicode)).toBe(true);
    // The decomposed form of ü is the same text, and matches after NFC normalisation.
    expect(await hasher.verify(unicodeHash, unicode.normalize('NFD'))).toBe(true);
    expect(await hasher.verify(unicodeHash, ' ' + unicode)).toBe(false);
  });

  it('flags weaker hashes for rehashing and never verifies a malformed hash', async () => {
    const weak = new Argon2PasswordHasher(
      { memoryKiB: 8192, timeCost: 1, parallelism: 1 },
      new ConcurrencyLimiter(1, 1),
    );
    expect(hasher.needsRehash(await weak.hash('some long password'))).toBe(true);
    expect(await hasher.verify('not-a-hash', 'x')).toBe(false);
  });
});
