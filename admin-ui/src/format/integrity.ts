import type { IntegrityReport } from '../api/integrity';

/** Where one event stands against the signed audit chain. */
export type EventIntegrity = 'signed' | 'pending' | 'broken';

export const INTEGRITY_WORDS: Record<EventIntegrity, string> = {
  signed: 'Signed',
  pending: 'Not signed yet',
  broken: 'Does not match the signed log',
};

/** Positions are decimal strings of one width per store; compared as numbers, whatever the width. */
function big(position: string | number): bigint | null {
  const text = String(position);
  return /^\d+$/.test(text) ? BigInt(text) : null;
}

/**
 * An event at `position` is broken at or after the first place the log stops matching, signed up
 * to the end of the verified range, and otherwise not signed yet (younger than the last checkpoint).
 */
export function integrityOf(position: string | number, report: IntegrityReport): EventIntegrity | null {
  const at = big(position);
  if (at === null) return null;
  const brokenFrom = report.firstBroken?.position ? big(report.firstBroken.position) : null;
  if (brokenFrom !== null && at >= brokenFrom) return 'broken';
  const verifiedTo = report.verified ? big(report.verified.toPosition) : null;
  if (verifiedTo !== null && at <= verifiedTo) return 'signed';
  return 'pending';
}
