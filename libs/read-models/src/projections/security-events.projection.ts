import type { RecordedEvent } from '@app/event-store';
import { IdentityEvent } from '@app/identity/events/identity-events';
import type { ReadDocument } from '../read-store.port';
import { defineProjection, ProjectionHandler } from '../projector/projection';
import { occurredAt } from './event-fields';
import { summarize } from './event-summaries';

/** The audit log: one document per event, with who, what, when and from where, and no payload. */
export interface SecurityEventDocument extends ReadDocument {
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
  documentIds: (event) => [event.id],
  evolve: (_document, event: RecordedEvent, id) => {
    const metadata = event.metadata as Record<string, any>;
    const userId = (event.data as { userId?: unknown }).userId;
    return {
      id,
      _position: event.position,
      position: event.position,
      stream: event.streamId,
      type: event.type,
      occurredAt: occurredAt(event),
      actor: { type: metadata.actor?.type ?? 'system', id: metadata.actor?.id ?? null },
      userId: typeof userId === 'string' ? userId : null,
      ip: metadata.ip ?? null,
      userAgent: metadata.userAgent ?? null,
      correlationId: metadata.correlationId ?? null,
      summary: summarize(event),
    };
  },
};

export const securityEventsProjection = defineProjection<SecurityEventDocument>({
  name: 'security-events',
  collection: 'security_events',
  indexes: [{ fields: ['position'] }, { fields: ['userId', 'position'] }, { fields: ['type', 'position'] }],
  handlers: Object.fromEntries(Object.values(IdentityEvent).map((type) => [type, toAuditEntry])),
});
