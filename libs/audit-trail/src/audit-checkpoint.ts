import type { ReadDocument } from '@app/read-models';
import { foldLinks } from './audit-chain';
import { AuditPublicKey, AuditSigningKey, verifySignature } from './audit-signing-key';
import { canonicalJson } from './canonical-event';

/** What a signature covers, before the fields are signed (a domain string, then canonical JSON). */
const SIGNED_FORMAT = 'account-security audit checkpoint v1\n';

/**
 * A signed stretch of the chain: events `fromSeq`..`toSeq` (1-based, in log order), the digest of
 * each, the link before and after them, and an Ed25519 signature over all of it. The digests are
 * bound by the links (`link` = the chain folded over them from `previousLink`); they are kept so a
 * check can say which event no longer matches, not only that something in the stretch changed.
 */
export interface AuditCheckpoint {
  version: 1;
  fromSeq: number;
  toSeq: number;
  firstPosition: string;
  lastPosition: string;
  previousLink: string;
  link: string;
  /** SHA-256 of each event (base64url), fromSeq first. */
  digests: string[];
  signedAt: string;
  keyId: string;
  signature: string;
}

/** A checkpoint as stored: keyed by its last sequence number, zero-padded so keys sort in order. */
export interface AuditCheckpointDocument extends ReadDocument, AuditCheckpoint {}

export const checkpointKey = (toSeq: number) => String(toSeq).padStart(15, '0');

type Unsigned = Omit<AuditCheckpoint, 'signature' | 'keyId'>;

/** The signed fields, named one by one: a field added later is not signed by accident. */
function signedBytes(checkpoint: Unsigned & { keyId: string }): Buffer {
  const { version, fromSeq, toSeq, firstPosition, lastPosition, previousLink, link, signedAt, keyId } = checkpoint;
  const fields = { version, fromSeq, toSeq, firstPosition, lastPosition, previousLink, link, signedAt, keyId };
  return Buffer.from(SIGNED_FORMAT + canonicalJson(fields));
}

export function signCheckpoint(key: AuditSigningKey, checkpoint: Unsigned): AuditCheckpoint {
  const keyId = key.publicKey.keyId;
  return { ...checkpoint, keyId, signature: key.sign(signedBytes({ ...checkpoint, keyId })) };
}

/**
 * Why a checkpoint cannot be trusted, or null when it can: the signature (with this public key),
 * its place after the previous one, and its digests against its links.
 */
export function checkpointProblem(
  checkpoint: AuditCheckpoint,
  publicKey: AuditPublicKey,
  previous: Pick<AuditCheckpoint, 'toSeq' | 'link'> | null,
  genesisLink: string,
): string | null {
  if (checkpoint.keyId !== publicKey.keyId) return `signed by another key (${checkpoint.keyId})`;
  if (!verifySignature(publicKey, signedBytes(checkpoint), checkpoint.signature)) return 'has an invalid signature';
  if (checkpoint.fromSeq !== (previous ? previous.toSeq + 1 : 1)) return 'does not follow the previous checkpoint';
  if (checkpoint.previousLink !== (previous ? previous.link : genesisLink))
    return 'does not continue the previous checkpoint';
  if (checkpoint.digests.length !== checkpoint.toSeq - checkpoint.fromSeq + 1)
    return 'holds the wrong number of events';
  if (foldLinks(checkpoint.previousLink, checkpoint.digests) !== checkpoint.link)
    return 'does not match the link it signed';
  return null;
}
