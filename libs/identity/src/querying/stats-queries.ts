import { Injectable } from '@nestjs/common';
import { Clock, ValidationFailedError } from '@app/platform';
import { DailyStatsDocument, dailyStatsProjection, ReadStore, usersProjection } from '@app/read-models';

const DAY_MS = 86_400_000;
const MAX_DAYS = 400;

/** The dashboard's figures: counts per UTC day and how many accounts have a second factor. */
@Injectable()
export class StatsQueries {
  constructor(
    private readonly readStore: ReadStore,
    private readonly clock: Clock,
  ) {}

  /** Every day from `from` to `to` (inclusive; default the last 30 days), days without events as zeros. */
  async daily(from?: string, to?: string) {
    const today = this.clock.now().toISOString().slice(0, 10);
    const end = to ?? today;
    const start = from ?? new Date(Date.parse(`${end}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
    for (const [field, value] of [
      ['from', start],
      ['to', end],
    ] as const) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
        throw new ValidationFailedError([{ field, message: `${field} must be a date YYYY-MM-DD` }]);
      }
    }
    const stored = await this.readStore.find<DailyStatsDocument>(dailyStatsProjection.collection, {
      where: { date: { gte: start, lte: end } },
      orderBy: [{ field: 'date', direction: 'asc' }],
      limit: MAX_DAYS,
    });
    const byDate = new Map(stored.map((d) => [d.date, d]));
    const days = [];
    for (
      let t = Date.parse(`${start}T00:00:00Z`);
      t <= Date.parse(`${end}T00:00:00Z`) && days.length < MAX_DAYS;
      t += DAY_MS
    ) {
      const date = new Date(t).toISOString().slice(0, 10);
      const day = byDate.get(date);
      days.push({
        date,
        signIns: day?.signIns ?? 0,
        failures: day?.failures ?? 0,
        lockouts: day?.lockouts ?? 0,
        mfaEnabled: day?.mfaEnabled ?? 0,
      });
    }
    const users = await this.readStore.count(usersProjection.collection);
    const withTotp = await this.readStore.count(usersProjection.collection, { 'mfa.totp': { eq: true } });
    const emailOnly = await this.readStore.count(usersProjection.collection, {
      'mfa.totp': { ne: true },
      'mfa.email': { eq: true },
    });
    const passkeyOnly = await this.readStore.count(usersProjection.collection, {
      'mfa.totp': { ne: true },
      'mfa.email': { ne: true },
      'mfa.passkey': { eq: true },
    });
    return { days, mfaAdoption: { users, withMfa: withTotp + emailOnly + passkeyOnly } };
  }
}
