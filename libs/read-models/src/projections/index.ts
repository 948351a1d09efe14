import type { Projection } from '../projector/projection';
import type { ReadDocument } from '../read-store.port';
import { dailyStatsProjection } from './daily-stats.projection';
import { securityEventsProjection } from './security-events.projection';
import { sessionsProjection } from './sessions.projection';
import { usersProjection } from './users.projection';

export * from './daily-stats.projection';
export * from './event-fields';
export * from './event-summaries';
export * from './security-events.projection';
export * from './sessions.projection';
export * from './users.projection';

/** Every read model the service maintains. */
export const ALL_PROJECTIONS: readonly Projection<ReadDocument>[] = [
  usersProjection,
  sessionsProjection,
  securityEventsProjection,
  dailyStatsProjection,
];
