import type { RecordedEvent } from '@app/event-store';
import { IdentityEvent } from '@app/identity-events';
import type { ReadDocument } from '../read-store.port';
import { defineProjection, ProjectionHandler } from '../projector/projection';
import { occurredAt } from './event-fields';

/** Counts per UTC day, for the dashboard. */
export interface DailyStatsDocument extends ReadDocument {
  date: string;
  signIns: number;
  failures: number;
  lockouts: number;
  mfaEnabled: number;
}

type Counter = 'signIns' | 'failures' | 'lockouts' | 'mfaEnabled';

function count(counter: Counter): ProjectionHandler<DailyStatsDocument> {
  return {
    documentIds: (event: RecordedEvent) => [occurredAt(event).slice(0, 10)],
    evolve: (document, event, id) => ({
      ...(document ?? { id, _position: event.position, date: id, signIns: 0, failures: 0, lockouts: 0, mfaEnabled: 0 }),
      [counter]: (document?.[counter] ?? 0) + 1,
      _position: event.position,
    }),
  };
}

export const dailyStatsProjection = defineProjection<DailyStatsDocument>({
  name: 'daily-stats',
  collection: 'daily_stats',
  indexes: [{ fields: ['date'] }],
  handlers: {
    [IdentityEvent.SessionStarted]: count('signIns'),
    [IdentityEvent.LoginFailed]: count('failures'),
    [IdentityEvent.ChallengeFailed]: count('failures'),
    [IdentityEvent.AccountLocked]: count('lockouts'),
    [IdentityEvent.AccountLockedByAdmin]: count('lockouts'),
    [IdentityEvent.TotpEnrolled]: count('mfaEnabled'),
    [IdentityEvent.EmailMfaEnabled]: count('mfaEnabled'),
  },
});
