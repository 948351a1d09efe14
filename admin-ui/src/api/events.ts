import { saveBlobAsFile } from '../browser/save-file';
import { buildUrl, requestJson, send, type QueryParams } from './http';

/** The security event log (API.md, "Administration"): newest first, paged by cursor. */

export interface EventActor {
  type: string;
  id: string | null;
  /** A person's current address (user and admin actors): null once their data was erased; absent otherwise. */
  email?: string | null;
}

export interface SecurityEvent {
  id: string;
  /** The exact place in the log, a decimal string (KurrentDB's 40 digits do not fit a number). */
  position: string;
  stream: string;
  type: string;
  occurredAt: string;
  actor: EventActor | null;
  userId: string | null;
  /** (Admin lists) the current address of the account the event is about: null once erased; absent otherwise. */
  userEmail?: string | null;
  ip: string | null;
  userAgent: string | null;
  summary: string;
}

/** The stored event itself; the API has already redacted secrets from `data` and `metadata`. */
export interface RawSecurityEvent extends SecurityEvent {
  data: unknown;
  metadata: unknown;
}

export interface EventPage {
  items: SecurityEvent[];
  nextCursor: string | null;
}

/** `from` and `to` are ISO 8601 instants; empty values mean "no filter". */
export interface EventFilters {
  type?: string;
  userId?: string;
  from?: string;
  to?: string;
}

export const EVENTS_PATH = '/v1/admin/events';

function filterParams(filters: EventFilters): QueryParams {
  return { type: filters.type, userId: filters.userId?.trim(), from: filters.from, to: filters.to };
}

export function listEvents(
  filters: EventFilters,
  page: { cursor?: string | null; limit?: number } = {},
  signal?: AbortSignal,
): Promise<EventPage> {
  return requestJson(EVENTS_PATH, {
    query: { ...filterParams(filters), cursor: page.cursor, limit: page.limit },
    signal,
  });
}

export function fetchEvent(id: string, signal?: AbortSignal): Promise<RawSecurityEvent> {
  return requestJson(`${EVENTS_PATH}/${encodeURIComponent(id)}`, { signal });
}

/** The export asks the list URL for CSV with the same filters, without paging: all matches. */
export function eventsCsvUrl(filters: EventFilters): string {
  return buildUrl(EVENTS_PATH, filterParams(filters));
}

/** The two exports of the filtered log: a spreadsheet, or JSON Lines with the signed checkpoints. */
export type EventsExportFormat = 'csv' | 'jsonl';

const EXPORTS: Record<EventsExportFormat, { accept: string; extension: string }> = {
  csv: { accept: 'text/csv', extension: 'csv' },
  jsonl: { accept: 'application/x-ndjson', extension: 'jsonl' },
};

/**
 * A plain link cannot carry the bearer token, so the export is fetched and then saved as a file.
 * Returns the file name used.
 */
export async function downloadEvents(
  filters: EventFilters,
  format: EventsExportFormat,
  now = new Date(),
): Promise<string> {
  const { accept, extension } = EXPORTS[format];
  const response = await send(EVENTS_PATH, { query: filterParams(filters), accept });
  const blob = await response.blob();
  const fileName =
    fileNameFromDisposition(response.headers.get('Content-Disposition')) ??
    `security-events-${now.toISOString().slice(0, 10)}.${extension}`;
  saveBlobAsFile(blob, fileName);
  return fileName;
}

export function downloadEventsCsv(filters: EventFilters, now = new Date()): Promise<string> {
  return downloadEvents(filters, 'csv', now);
}

export function fileNameFromDisposition(header: string | null): string | null {
  const match = header?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  if (!match) return null;
  // Keep only a plain file name: the server's name must not steer the download elsewhere.
  const name = decodeURIComponent(match[1]).split(/[\\/]/).pop()?.trim();
  return name ? name : null;
}
