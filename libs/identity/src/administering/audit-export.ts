import type { SecurityEventDocument } from '@app/read-models';

/** Fields of event payloads that hold secrets in protected form: never shown, even to auditors. */
const REDACTED_FIELDS = new Set(['passwordHash', 'sealedSecret', 'sealedCodes', 'codeHash', 'codeHashes', 'tokenHash']);

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, REDACTED_FIELDS.has(key) ? '[redacted]' : redact(inner)]),
    );
  }
  return value;
}

export const CSV_COLUMNS = ['position', 'occurredAt', 'type', 'summary', 'actorType', 'actorId', 'userId', 'stream', 'ip', 'userAgent', 'eventId'] as const;

/**
 * RFC 4180 quoting; a cell that a spreadsheet would run as a formula (starting with = + - @ or a
 * tab/CR) is prefixed with an apostrophe, because user agents are attacker-controlled.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(event: SecurityEventDocument): string {
  const cells = [
    Number(event.position),
    event.occurredAt,
    event.type,
    event.summary,
    event.actor.type,
    event.actor.id,
    event.userId,
    event.stream,
    event.ip,
    event.userAgent,
    event.eventId,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}
