import { describe, expect, it } from 'vitest';
import { formatExactLocalTime, formatRelativeTime, formatUtcTime } from './time';

/** A local moment (the reader's zone), so calendar days are the reader's days. */
const at = (day: number, hour: number, minute = 0) => new Date(2026, 10, day, hour, minute);

describe('relative times', () => {
  const now = at(29, 14, 0);

  it('says "just now", minutes and hours ago', () => {
    expect(formatRelativeTime(at(29, 13, 59).toISOString(), now)).toBe('1 minute ago');
    expect(formatRelativeTime(new Date(now.getTime() - 20_000).toISOString(), now)).toBe('just now');
    expect(formatRelativeTime(at(29, 13, 15).toISOString(), now)).toBe('45 minutes ago');
    expect(formatRelativeTime(at(29, 12, 0).toISOString(), now)).toBe('2 hours ago');
  });

  it('says "yesterday" and "N days ago" by calendar day, then the date', () => {
    expect(formatRelativeTime(at(28, 9, 0).toISOString(), now)).toBe('yesterday');
    expect(formatRelativeTime(at(26, 9, 0).toISOString(), now)).toBe('3 days ago');
    expect(formatRelativeTime(at(12, 9, 0).toISOString(), now)).toMatch(/12/);
    expect(formatRelativeTime(at(12, 9, 0).toISOString(), now)).toMatch(/2026/);
  });

  it('counts hours across midnight while it is only a few hours', () => {
    expect(formatRelativeTime(at(28, 23, 0).toISOString(), at(29, 1, 0))).toBe('2 hours ago');
  });

  it('gives a moment ahead as its clock time, with the date when it is not today', () => {
    const later = formatRelativeTime(at(29, 14, 30).toISOString(), now);
    expect(later).toMatch(/30/);
    expect(later).not.toMatch(/2026|ago|in /);
    expect(formatRelativeTime(at(30, 9, 0).toISOString(), now)).toMatch(/2026/);
  });

  it('shows a dash for nothing or a broken value', () => {
    expect(formatRelativeTime(null, now)).toBe('—');
    expect(formatRelativeTime('not a date', now)).toBe('—');
  });
});

describe('exact times', () => {
  it('gives the local date with the time, and UTC', () => {
    const iso = at(29, 14, 5).toISOString();
    expect(formatExactLocalTime(iso)).toMatch(/2026/);
    expect(formatExactLocalTime(iso)).toMatch(/14|2/);
    expect(formatExactLocalTime(undefined)).toBe('');
    expect(formatUtcTime('2026-11-29T14:05:00.000Z')).toBe('2026-11-29 14:05:00 UTC');
  });
});
