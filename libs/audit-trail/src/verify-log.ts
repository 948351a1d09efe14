import type { RecordedEvent } from '@app/event-store';
import { GENESIS_LINK } from './audit-chain';
import { AuditCheckpoint, checkpointProblem } from './audit-checkpoint';
import type { AuditPublicKey } from './audit-signing-key';
import { eventDigest } from './canonical-event';

/** Where the log stops matching what was signed. */
export interface BrokenAt {
  /** 1-based place in the log. */
  seq: number;
  /** The event found there, or null when the log ends before it. */
  position: string | null;
  reason: string;
}

export interface IntegrityReport {
  status: 'intact' | 'broken';
  keyId: string;
  publicKey: string;
  /** Events read from the log. */
  events: number;
  /** The prefix of the log that matches signed checkpoints, or null when none does. */
  verified: { fromPosition: string; toPosition: string; events: number } | null;
  lastCheckpoint: { toSeq: number; position: string; signedAt: string; link: string } | null;
  /**
   * Events after the last stored checkpoint (signed within AUDIT_SEAL_SECONDS). Events covered by
   * a checkpoint that cannot be trusted are not pending: they are unverified, after `firstBroken`.
   */
  pending: number;
  firstBroken: BrokenAt | null;
}

/**
 * Checks the log against the signed checkpoints with nothing but the public key: every checkpoint's
 * signature and place in the chain, then every event's digest against the signed one in log order.
 * Finds an edited, deleted, inserted or reordered event (the first place where the log and the
 * signed digests part) and a chain recomputed without the key (its signature fails).
 */
export async function verifyLog(
  events: AsyncIterable<RecordedEvent> | Iterable<RecordedEvent>,
  checkpoints: readonly AuditCheckpoint[],
  publicKey: AuditPublicKey,
): Promise<IntegrityReport> {
  // The trusted checkpoints: the longest run from the start whose signatures and links hold.
  const trusted: AuditCheckpoint[] = [];
  let broken: BrokenAt | null = null;
  for (const checkpoint of checkpoints) {
    const problem = checkpointProblem(checkpoint, publicKey, trusted[trusted.length - 1] ?? null, GENESIS_LINK);
    if (problem) {
      broken = { seq: checkpoint.fromSeq, position: checkpoint.firstPosition, reason: `checkpoint ${problem}` };
      break;
    }
    trusted.push(checkpoint);
  }
  const signedEvents = trusted.length > 0 ? trusted[trusted.length - 1].toSeq : 0;

  let seq = 0;
  let matched = 0;
  let firstPosition: string | null = null;
  let lastMatchedPosition: string | null = null;
  let checkpointIndex = 0;
  for await (const event of events) {
    seq += 1;
    if (seq === 1) firstPosition = event.position;
    if (seq > signedEvents || (broken && seq >= broken.seq)) continue;
    while (trusted[checkpointIndex].toSeq < seq) checkpointIndex += 1;
    const checkpoint = trusted[checkpointIndex];
    const expected = checkpoint.digests[seq - checkpoint.fromSeq];
    if (eventDigest(event).toString('base64url') !== expected) {
      broken = {
        seq,
        position: event.position,
        reason: 'the event does not match the signed record (changed, removed, added or moved)',
      };
      continue;
    }
    matched = seq;
    lastMatchedPosition = event.position;
  }
  if (!broken && seq < signedEvents) {
    broken = { seq: seq + 1, position: null, reason: `the log ends at event ${seq}; ${signedEvents} were signed` };
  }
  const last = trusted[trusted.length - 1];
  return {
    status: broken ? 'broken' : 'intact',
    keyId: publicKey.keyId,
    publicKey: publicKey.encoded,
    events: seq,
    verified:
      matched > 0 && firstPosition !== null && lastMatchedPosition !== null
        ? { fromPosition: firstPosition, toPosition: lastMatchedPosition, events: matched }
        : null,
    lastCheckpoint: last
      ? { toSeq: last.toSeq, position: last.lastPosition, signedAt: last.signedAt, link: last.link }
      : null,
    pending: Math.max(0, seq - Math.max(signedEvents, checkpoints[checkpoints.length - 1]?.toSeq ?? 0)),
    firstBroken: broken,
  };
}
