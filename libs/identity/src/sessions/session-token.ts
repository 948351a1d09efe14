import { createHash } from 'node:crypto';
import type { SecureRandom } from '@app/platform';

/** 32 random bytes, base64url: 256 bits, opaque to clients. */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSessionToken(random: SecureRandom): { token: string; tokenHash: string } {
  const token = random.bytes(TOKEN_BYTES).toString('base64url');
  return { token, tokenHash: hashSessionToken(token) };
}

/** Only this hash is stored: a leaked read model or event log does not yield usable tokens. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isWellFormedSessionToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}
