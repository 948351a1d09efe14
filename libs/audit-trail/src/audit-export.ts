import type { RecordedEvent } from '@app/event-store';
import { foldLinks } from './audit-chain';
import { AuditCheckpoint, checkpointProblem } from './audit-checkpoint';
import type { AuditPublicKey } from './audit-signing-key';
import { eventDigest, ExportedEvent, toExportedEvent } from './canonical-event';

/** The first line of an export names its format; verifiers refuse any other. */
export const AUDIT_EXPORT_FORMAT = 'account-security-audit-export-v1';

/** One line of an export (JSON Lines): the header, a checkpoint, an event, and the closing count. */
export type AuditExportLine =
  | { kind: 'header'; format: string; exportedAt: string; keyId: string; publicKey: string; filters: object }
  | { kind: 'checkpoint'; checkpoint: AuditCheckpoint }
  | { kind: 'event'; seq: number; event: ExportedEvent }
  | { kind: 'end'; events: number };

/**
 * The log as JSON Lines for auditors: every event the filter keeps, each with its place in the log
 * (`seq`) and in its exported form (secrets as commitments), preceded by the signed checkpoint that
 * covers it. A closing line counts the events, so a file cut short is found. Anyone with the
 * public key can check it (`npm run cli -- verify-export`).
 */
export async function* auditExportLines(input: {
  events: AsyncIterable<RecordedEvent>;
  checkpoints: readonly AuditCheckpoint[];
  publicKey: AuditPublicKey;
  keep: (event: RecordedEvent) => boolean;
  filters: object;
  exportedAt: string;
}): AsyncGenerator<string> {
  const line = (value: AuditExportLine) => `${JSON.stringify(value)}\n`;
  yield line({
    kind: 'header',
    format: AUDIT_EXPORT_FORMAT,
    exportedAt: input.exportedAt,
    keyId: input.publicKey.keyId,
    publicKey: input.publicKey.encoded,
    filters: input.filters,
  });
  let seq = 0;
  let exported = 0;
  let next = 0;
  let shown = -1;
  for await (const event of input.events) {
    seq += 1;
    if (!input.keep(event)) continue;
    while (next < input.checkpoints.length && input.checkpoints[next].toSeq < seq) next += 1;
    const covering = input.checkpoints[next];
    if (covering && covering.fromSeq <= seq && shown !== next) {
      yield line({ kind: 'checkpoint', checkpoint: stripped(covering) });
      shown = next;
    }
    yield line({ kind: 'event', seq, event: toExportedEvent(event) });
    exported += 1;
  }
  yield line({ kind: 'end', events: exported });
}

/** A stored checkpoint without the read store's own fields (`id`, `_position`). */
function stripped(checkpoint: AuditCheckpoint): AuditCheckpoint {
  const { id: _id, _position, ...fields } = checkpoint as AuditCheckpoint & { id?: string; _position?: string };
  return fields;
}

export interface ExportReport {
  status: 'verified' | 'broken';
  keyId: string;
  /** Events in the file. */
  events: number;
  /** Events whose digest a valid signed checkpoint holds. */
  verified: number;
  /** Events after the last checkpoint in the file (not signed when exported). */
  unsigned: number;
  firstProblem: { line: number; seq: number | null; reason: string } | null;
}

/**
 * Checks an export offline with the public key: the header, each checkpoint on its own (signature,
 * digests against links, and against the one before when they are adjacent), each event against
 * the digest its checkpoint signed, and the closing count.
 */
export async function verifyExport(
  lines: AsyncIterable<string> | Iterable<string>,
  publicKey: AuditPublicKey,
): Promise<ExportReport> {
  let lineNo = 0;
  let header = false;
  let ended: number | null = null;
  let events = 0;
  let verified = 0;
  let unsigned = 0;
  let problem: ExportReport['firstProblem'] = null;
  let current: AuditCheckpoint | null = null;
  let signedUpTo = 0;
  let firstUnsigned: { line: number; seq: number } | null = null;
  const fail = (seq: number | null, reason: string) => (problem ??= { line: lineNo, seq, reason });

  for await (const text of lines) {
    lineNo += 1;
    if (text.trim() === '') continue;
    let entry: AuditExportLine;
    try {
      entry = JSON.parse(text) as AuditExportLine;
    } catch {
      fail(null, 'not JSON');
      continue;
    }
    if (!header) {
      header = true;
      if (entry.kind !== 'header' || entry.format !== AUDIT_EXPORT_FORMAT)
        fail(null, `not an export of format ${AUDIT_EXPORT_FORMAT}`);
      else if (entry.keyId !== publicKey.keyId) fail(null, `signed by another key (${entry.keyId})`);
      continue;
    }
    if (ended !== null) fail(null, 'lines after the end');
    if (entry.kind === 'checkpoint') {
      const checkpoint = entry.checkpoint;
      const adjacent = current && current.toSeq + 1 === checkpoint.fromSeq ? current : null;
      const reason = checkpointProblem(
        checkpoint,
        publicKey,
        adjacent ?? { toSeq: checkpoint.fromSeq - 1, link: checkpoint.previousLink },
        checkpoint.previousLink,
      );
      if (reason) fail(checkpoint.fromSeq, `checkpoint ${reason}`);
      else if (foldLinks(checkpoint.previousLink, checkpoint.digests) !== checkpoint.link)
        fail(checkpoint.fromSeq, 'checkpoint digests do not give its link');
      current = reason ? null : checkpoint;
      signedUpTo = Math.max(signedUpTo, checkpoint.toSeq);
    } else if (entry.kind === 'event') {
      events += 1;
      if (!current || entry.seq < current.fromSeq || entry.seq > current.toSeq) {
        // Only events after every checkpoint of the file may be unsigned (young when exported):
        // checkpoints cover the log without gaps, so a later checkpoint means this one's is missing.
        unsigned += 1;
        firstUnsigned ??= { line: lineNo, seq: entry.seq };
        continue;
      }
      let digest: string;
      try {
        digest = eventDigest(entry.event).toString('base64url');
      } catch (error) {
        fail(entry.seq, String((error as Error).message));
        continue;
      }
      if (digest !== current.digests[entry.seq - current.fromSeq])
        fail(entry.seq, 'the event does not match its signed digest');
      else verified += 1;
    } else if (entry.kind === 'end') {
      ended = entry.events;
    } else fail(null, 'a line of unknown kind');
  }
  if (firstUnsigned && firstUnsigned.seq <= signedUpTo)
    problem ??= { ...firstUnsigned, reason: 'the checkpoint that signed this event is missing' };
  if (!header) fail(null, 'empty');
  else if (ended === null) fail(null, 'the export is cut short (no closing line)');
  else if (ended !== events) fail(null, `the closing line counts ${ended} events; the file holds ${events}`);
  return {
    status: problem ? 'broken' : 'verified',
    keyId: publicKey.keyId,
    events,
    verified,
    unsigned,
    firstProblem: problem,
  };
}
