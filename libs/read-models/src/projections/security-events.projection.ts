import type { RecordedEvent } from '@app/event-store';
import { IdentityEvent, isIdentityEvent, subjectOf, type EventMetadata } from '@app/identity-events';
import type { ReadDocument } from '../read-store.port';
import { defineProjection, ProjectionHandler } from '../projector/projection';
import { occurredAt } from './event-fields';
import { summarize } from './event-summaries';

/**
 * The audit log: one document per event, with who, what, when and from where, and no payload.
 * Keyed by the event's log position, not its random id: entries are appended in key order, which
 * keeps inserts at the end of the table's B-tree (a random key made the rebuild 2-3x slower).
 */
export interface SecurityEventDocument extends ReadDocument {
  /** The event's own id (a UUID). The API's `id` of an audit entry is the document's id. */
  eventId: string;
  position: string;
  stream: string;
  type: string;
  occurredAt: string;
  actor: { type: string; id: string | null };
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
  correlationId: string | null;
  summary: string;
}

const toAuditEntry: ProjectionHandler<SecurityEventDocument> = {
  documentIds: (event) => [event.position],
  createsFromEventAlone: true,
  evolve: (_document, event: RecordedEvent, id) => {
    const metadata: Partial<EventMetadata> = event.metadata;
    return {
      id,
      _position: event.position,
      eventId: event.id,
      position: event.position,
      stream: event.streamId,
      type: event.type,
      occurredAt: occurredAt(event),
      actor: { type: metadata.actor?.type ?? 'system', id: metadata.actor?.id ?? null },
      userId: isIdentityEvent(event) ? subjectOf(event) : null,
      ip: metadata.ip ?? null,
      userAgent: metadata.userAgent ?? null,
      correlationId: metadata.correlationId ?? null,
      summary: summarize(event),
    };
  },
};

export const securityEventsProjection = defineProjection<SecurityEventDocument>({
  // v2: keyed by position (v1 was keyed by event id); a new name and collection replay it from zero.
  name: 'security-events-v2',
  collection: 'security_events_v2',
  // `id` is the position, so newest-first pages sort on the key itself. No index on eventId: on a
  // random key it cost a third of a rebuild's index time, and entries are fetched by id.
  indexes: [{ fields: ['userId', 'id'] }, { fields: ['type', 'id'] }],
  handlers: Object.fromEntries(Object.values(IdentityEvent).map((type) => [type, toAuditEntry])),
});
