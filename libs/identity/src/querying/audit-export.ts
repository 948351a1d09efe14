import { isSecretStream, SECRET_FIELDS, secretFieldsOf } from '@app/identity-events';
import type { SecurityEventDocument } from '@app/read-models';

/** A challenge's stream name carries its id: shown as `challenge-[redacted]`. */
export function redactStream(stream: string): string {
  return isSecretStream(stream) ? 'challenge-[redacted]' : stream;
}

/** A value with every secret field shown as `[redacted]`: `secret` at the top, SECRET_FIELDS below. */
export function redact(value: unknown, secret: ReadonlySet<string> = SECRET_FIELDS): unknown {
  if (Array.isArray(value)) return value.map((item) => redact(item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
        key,
        secret.has(key) ? '[redacted]' : redact(inner),
      ]),
    );
  }
  return value;
}

/** An event's payload as auditors read it (see secretFieldsOf: some fields are secret in some events only). */
export function redactEventData(type: string, data: Record<string, unknown>): unknown {
  return redact(data, secretFieldsOf(type, data));
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
    event.position.replace(/^0+(?=\d)/, ''), // exact: a number would round above 2^53
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
