/** Times arrive as ISO 8601 UTC; people read them in their own zone, with UTC one hover away. */

const localFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatLocalTime(iso: string | null | undefined): string {
  const date = parse(iso);
  return date ? localFormat.format(date) : '—';
}

export function formatUtcTime(iso: string | null | undefined): string {
  const date = parse(iso);
  return date
    ? `${date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d{3}Z$/, '')} UTC`
    : '';
}

/** YYYY-MM-DD of a moment in UTC (the stats endpoint counts UTC days). */
export function utcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first and last instant of a local calendar day (YYYY-MM-DD from a date picker), as ISO. */
export function localDayStart(day: string): string | undefined {
  return localDay(day, 0, 0, 0, 0);
}

export function localDayEnd(day: string): string | undefined {
  return localDay(day, 23, 59, 59, 999);
}

function localDay(day: string, ...time: [number, number, number, number]): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), ...time).toISOString();
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}
