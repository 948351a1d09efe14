import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type SecretBoxFailure = 'malformed' | 'unsupported_version' | 'authentication_failed';

/** open() refused its input; `reason` is for logs, never for the end user. */
export class SecretBoxError extends Error {
  constructor(readonly reason: SecretBoxFailure) {
    super(`Secret box cannot be opened: ${reason}`);
    this.name = 'SecretBoxError';
  }
}

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Encrypts the secrets that must stay recoverable (TOTP seeds, viewable recovery codes) before
 * they enter an event: AES-256-GCM, output `v1.<iv>.<ciphertext>.<tag>` in base64url.
 *
 * `associatedData` is authenticated, not stored: it names the owner and use of the secret
 * (`user:<id>:totp-seed`), so a ciphertext copied into another user's record does not open.
 *
 * The IV comes from node:crypto directly, never from an injectable SecureRandom: a test double
 * that repeats bytes would repeat an IV, and one repeated GCM IV reveals the XOR of two plaintexts
 * and lets the key's authenticator be forged. Random 96-bit IVs are safe for 2^32 seals per key
 * (NIST SP 800-38D), far beyond this service's volume.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new RangeError(`SecretBox needs a ${KEY_BYTES}-byte key (got ${key.length})`);
    this.key = Buffer.from(key); // our own copy: the caller's buffer may be reused or zeroed
  }

  seal(plaintext: string, associatedData: string): string {
    requireAssociatedData(associatedData);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const encoded = [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url'));
    return [VERSION, ...encoded].join('.');
  }

  /** Throws SecretBoxError on malformed input, another version, a wrong key or AD, or any tampering. */
  open(sealed: string, associatedData: string): string {
    // No AD check here: seal() never accepts an empty AD, so an empty one fails authentication.
    const { iv, ciphertext, tag } = parse(sealed);
    // authTagLength pins the tag to 16 bytes; without it Node accepts truncated tags (down to 4 bytes).
    const decipher = createDecipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('authentication_failed');
    }
  }
}

function requireAssociatedData(associatedData: string): void {
  // An empty AD would silently give up the owner binding: a caller bug, so fail loudly.
  if (typeof associatedData !== 'string' || associatedData.length === 0) {
    throw new TypeError('SecretBox needs non-empty associated data (e.g. user:<id>:totp-seed)');
  }
}

function parse(sealed: unknown): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  if (typeof sealed !== 'string') throw new SecretBoxError('malformed');
  const parts = sealed.split('.');
  if (parts.length !== 4) throw new SecretBoxError('malformed');
  const [version, ...encoded] = parts;
  if (version !== VERSION) throw new SecretBoxError('unsupported_version');
  const [iv, ciphertext, tag] = encoded.map(decodeBase64Url);
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('malformed');
  return { iv, ciphertext, tag };
}

/** Strict base64url: Node's decoder skips foreign characters, so check the alphabet and canonical form. */
function decodeBase64Url(text: string): Buffer {
  if (!BASE64URL.test(text)) throw new SecretBoxError('malformed');
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw new SecretBoxError('malformed');
  return bytes;
}
