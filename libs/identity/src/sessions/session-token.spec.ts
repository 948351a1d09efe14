import { createHash } from 'node:crypto';
import { CryptoSecureRandom } from '@app/platform';
import { newOpaqueToken, newSessionToken, sessionIdOfToken, tokenMatchesHash } from './session-token';

const random = new CryptoSecureRandom();
const sessionId = '0b7f3c1e-7c2a-4c55-9d3e-2f1a4b5c6d7e';

describe('session tokens', () => {
  it('name their session and carry 256 random bits; only the SHA-256 of the whole token is kept', () => {
    const { token, tokenHash } = newSessionToken(random, sessionId);
    expect(token).toMatch(/^0b7f3c1e-7c2a-4c55-9d3e-2f1a4b5c6d7e\.[A-Za-z0-9_-]{43}$/);
    expect(tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(newSessionToken(random, sessionId).token).not.toBe(token);
    expect(sessionIdOfToken(token)).toBe(sessionId);
  });

  it('match only their own hash', () => {
    const { token, tokenHash } = newSessionToken(random, sessionId);
    const other = newSessionToken(random, sessionId);
    expect(tokenMatchesHash(token, tokenHash)).toBe(true);
    expect(tokenMatchesHash(other.token, tokenHash)).toBe(false);
    expect(tokenMatchesHash(token, other.tokenHash)).toBe(false);
    expect(tokenMatchesHash(token, 'not hex')).toBe(false);
    expect(tokenMatchesHash(token, '')).toBe(false);
  });

  it('name no session when malformed', () => {
    const { token } = newSessionToken(random, sessionId);
    for (const bad of [
      '',
      'x',
      token.toUpperCase(),
      `${token}=`,
      token.slice(1),
      `${sessionId}.`,
      `.${token.split('.')[1]}`,
      `${sessionId}${token.split('.')[1]}`,
    ]) {
      expect(sessionIdOfToken(bad)).toBeNull();
    }
    expect(() => newSessionToken(random, 'not-a-uuid')).toThrow();
  });

  it('keeps re-authentication tokens opaque', () => {
    expect(newOpaqueToken(random).token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
