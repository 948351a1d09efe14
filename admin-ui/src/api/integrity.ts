import { requestJson } from './http';

/** `GET /v1/admin/integrity`: the log checked against its signed checkpoints (README, "API overview"). */
export interface IntegrityReport {
  status: 'intact' | 'broken';
  checkedAt: string;
  keyId: string;
  /** Ed25519 public key, base64url: what `npm run cli -- verify-log --public-key` takes. */
  publicKey: string;
  events: number;
  verified: { fromPosition: string; toPosition: string; events: number } | null;
  lastCheckpoint: { toSeq: number; position: string; signedAt: string; link: string } | null;
  pending: number;
  firstBroken: { seq: number; position: string | null; reason: string } | null;
}

export function fetchIntegrity(signal?: AbortSignal): Promise<IntegrityReport> {
  return requestJson('/v1/admin/integrity', { signal });
}
