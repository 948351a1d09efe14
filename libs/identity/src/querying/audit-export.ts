import type { SecurityEventDocument } from '@app/read-models';

/**
 * Fields of event payloads that hold secrets in protected form, or a live bearer (the id of an
 * open sign-in challenge is all the second step asks for besides the code): never shown, even to
 * auditors.
 */
const REDACTED_FIELDS = new Set([
  'passwordHash',
  'sealedSecret',
  'sealedCodes',
  'codeHash',
  'codeHashes',
  'tokenHash',
  'challengeId',
]);

/** A challenge's stream name carries its id: shown as `challenge-[redacted]`. */
export function redactStream(stream: string): string {
  return stream.startsWith('challenge-') ? 'challenge-[redacted]' : stream;
}

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
        key,
        REDACTED_FIELDS.has(key) ? '[redacted]' : redact(inner),
      ]),
    );
  }
  return value;
}

export const CSV_COLUMNS = [
  'position',
  'occurredAt',
  'type',
  'summary',
  'actorType',
  'actorId',
  'userId',
  'stream',
  'ip',
  'userAgent',
  'eventId',
] as const;

/**
 * Every cell quoted (RFC 4180), so a spreadsheet that splits on `;` or tabs still sees one cell;
 * and a formula trigger (= + - @) is defused with an apostrophe wherever a cell could start: at
 * the beginning and after any separator a spreadsheet may split on (`,` `;` tab, CR, LF, `|`),
 * because user agents and other fields are attacker-controlled.
 */
export function csvCell(value: unknown): string {
  const text = (value === null || value === undefined ? '' : String(value)).replace(
    /(^|[,;\t\r\n|])(\s*)([=+\-@])/g,
    "$1$2'$3",
  );
  return `"${text.replace(/"/g, '""')}"`;
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
    redactStream(event.stream),
    event.ip,
    event.userAgent,
    event.eventId,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}
