import { hash, timingSafeEqual } from 'node:crypto';
import type { SecureRandom } from '@app/platform';

/** 32 random bytes, base64url: 256 bits. */
const SECRET_BYTES = 32;
const SECRET = '[A-Za-z0-9_-]{43}';
const SESSION_TOKEN_PATTERN = new RegExp(
  `^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.${SECRET}$`,
);

/**
 * A session token is `<session id>.<secret>` (a selector and a verifier): the id finds the
 * session by its key, a primary-key read instead of an index search on the hash, and the 256-bit
 * secret proves possession. Only SHA-256 of the whole token is stored; it is compared in
 * constant time. The session id is not secret (it is listed on the sessions page).
 */
export function newSessionToken(random: SecureRandom, sessionId: string): { token: string; tokenHash: string } {
  const token = `${sessionId}.${random.bytes(SECRET_BYTES).toString('base64url')}`;
  if (!SESSION_TOKEN_PATTERN.test(token)) throw new Error('A session id must be a lower-case UUID');
  return { token, tokenHash: hashSessionToken(token) };
}

/** The session a well-formed session token names, or null for anything else. */
export function sessionIdOfToken(token: string): string | null {
  return SESSION_TOKEN_PATTERN.exec(token)?.[1] ?? null;
}

/** A token with no structure (re-authentication tokens): 256 random bits, base64url. */
export function newOpaqueToken(random: SecureRandom): { token: string; tokenHash: string } {
  const token = random.bytes(SECRET_BYTES).toString('base64url');
  return { token, tokenHash: hashSessionToken(token) };
}

/** Only this hash is stored: a leaked read model or event log does not yield usable tokens. */
export function hashSessionToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** Whether `token` hashes to `tokenHash`, in time independent of where they differ. */
export function tokenMatchesHash(token: string, tokenHash: string): boolean {
  const expected = Buffer.from(tokenHash, 'hex');
  // One-shot hash: no Hash object per request (Node >= 20.12).
  const actual = hash('sha256', token, 'buffer');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
