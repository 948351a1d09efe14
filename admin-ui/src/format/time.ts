/** Times arrive as ISO 8601 UTC; people read them in their own zone, with UTC one hover away. */

const localFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatLocalTime(iso: string | null | undefined): string {
  const date = parse(iso);
  return date ? localFormat.format(date) : '—';
}

const exactFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' });
const shortDateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dayTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The exact moment in the reader's zone, as a hover or a screen reader gives it ("29 November 2026 at 14:05"). */
export function formatExactLocalTime(iso: string | null | undefined): string {
  const date = parse(iso);
  return date ? exactFormat.format(date) : '';
}

/**
 * How long ago (or how soon), as people say it: "just now", "5 minutes ago", "2 hours ago",
 * "yesterday", "3 days ago"; past a week, the date ("12 Nov 2026"). Days are calendar days in the
 * reader's zone, so 23:50 yesterday reads "yesterday" at 00:10. A moment ahead is a clock time
 * ("14:35"), with the date when it is not today.
 */
export function formatRelativeTime(iso: string | null | undefined, now: Date = new Date()): string {
  const date = parse(iso);
  if (!date) return '—';
  const diff = date.getTime() - now.getTime();
  // A moment ahead reads as a clock time ("ends at 14:35", "locked until 14:35").
  if (diff > 0) return calendarDays(now, date) === 0 ? timeFormat.format(date) : dayTimeFormat.format(date);
  const distance = Math.abs(diff);
  if (distance < MINUTE_MS) return 'just now';
  if (distance < HOUR_MS) return relativeFormat.format(Math.trunc(diff / MINUTE_MS), 'minute');
  const days = calendarDays(now, date);
  if (days === 0 || distance < 6 * HOUR_MS) return relativeFormat.format(Math.trunc(diff / HOUR_MS), 'hour');
  if (Math.abs(days) < 7) return relativeFormat.format(days, 'day');
  return shortDateFormat.format(date);
}

/** Whole calendar days from `from` to `to` in the reader's zone (negative when `to` is earlier). */
function calendarDays(from: Date, to: Date): number {
  const start = new Date(from.getFullYear(), from.getMonth(), from.getDate());
  const end = new Date(to.getFullYear(), to.getMonth(), to.getDate());
  return Math.round((end.getTime() - start.getTime()) / (24 * HOUR_MS));
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
