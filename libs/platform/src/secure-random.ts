import { randomBytes } from 'node:crypto';

/** Cryptographically secure random bytes (tokens, codes); injected so tests can control them. */
export abstract class SecureRandom {
  abstract bytes(length: number): Buffer;
}

export class CryptoSecureRandom extends SecureRandom {
  override bytes(length: number): Buffer {
    return randomBytes(length);
  }
}
