import type { DailySignInStats, SignInStats } from '../../api/stats';
import { utcDate } from '../../format/time';

/** Date ranges, totals and chart data for the dashboard; the figures themselves come from the API. */

export const RANGE_OPTIONS = [
  { label: '7 days', value: 7 },
  { label: '30 days', value: 30 },
  { label: '90 days', value: 90 },
];

/** The last `days` UTC calendar days, today included (the API counts UTC days). */
export function lastDays(days: number, now = new Date()): { from: string; to: string } {
  const from = new Date(now.getTime() - (days - 1) * 86_400_000);
  return { from: utcDate(from), to: utcDate(now) };
}

export function totals(days: DailySignInStats[]) {
  return days.reduce(
    (sum, day) => ({
      signIns: sum.signIns + day.signIns,
      failures: sum.failures + day.failures,
      lockouts: sum.lockouts + day.lockouts,
    }),
    { signIns: 0, failures: 0, lockouts: 0 },
  );
}

export function adoptionPercent(adoption: SignInStats['mfaAdoption']): number {
  return adoption.users > 0 ? Math.round((adoption.withMfa / adoption.users) * 100) : 0;
}

export const COLORS = { signIns: '#18a058', failures: '#d03050', lockouts: '#f0a020', none: '#c2c2c2' };
