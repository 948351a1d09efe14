import { createHash, createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';

/** PKCS#8 DER of an Ed25519 private key, up to its 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SubjectPublicKeyInfo DER of an Ed25519 public key, up to its 32 raw bytes. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The public half as people pass it around: 32 raw bytes, base64url, and a short id. */
export interface AuditPublicKey {
  key: KeyObject;
  /** Raw 32 bytes, base64url: what `verify-log --public-key` takes. */
  encoded: string;
  /** First 16 hex digits of SHA-256 of the raw key: names the key in each checkpoint. */
  keyId: string;
}

/** Signs checkpoints. Built from AUDIT_SIGNING_KEY, the 32-byte Ed25519 seed. */
export class AuditSigningKey {
  readonly publicKey: AuditPublicKey;
  private readonly privateKey: KeyObject;

  constructor(seed: Buffer) {
    if (seed.length !== 32) throw new RangeError('An Ed25519 seed is 32 bytes');
    this.privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const raw = createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
    this.publicKey = auditPublicKey(raw.toString('base64url'));
  }

  sign(payload: Buffer): string {
    return sign(null, payload, this.privateKey).toString('base64url');
  }
}

/** A public key from its 32 raw bytes (base64url or base64); throws on anything else. */
export function auditPublicKey(encoded: string): AuditPublicKey {
  const raw = Buffer.from(encoded, 'base64url');
  if (raw.length !== 32) throw new RangeError('An Ed25519 public key is 32 bytes, base64url-encoded');
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return {
    key,
    encoded: raw.toString('base64url'),
    keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16),
  };
}

export function verifySignature(publicKey: AuditPublicKey, payload: Buffer, signature: string): boolean {
  try {
    return verify(null, payload, publicKey.key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
