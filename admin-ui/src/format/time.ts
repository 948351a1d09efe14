/** Times arrive as ISO 8601 UTC; people read them in their own zone, with UTC one hover away. */

const localFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatLocalTime(iso: string | null | undefined): string {
  const date = parse(iso);
  return date ? localFormat.format(date) : '—';
}

export function formatUtcTime(iso: string | null | undefined): string {
  const date = parse(iso);
  return date ? `${date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '')} UTC` : '';
}

/** YYYY-MM-DD of a moment in UTC (the stats endpoint counts UTC days). */
export function utcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first and last instant of the local calendar days a date picker chose, as ISO strings. */
export function localDayStart(timestamp: number): string {
  const date = new Date(timestamp);
  date.setHours(0, 0, 0, 0);
  return date.toISOString();
}

export function localDayEnd(timestamp: number): string {
  const date = new Date(timestamp);
  date.setHours(23, 59, 59, 999);
  return date.toISOString();
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}
