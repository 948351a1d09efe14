import type { RequestContext } from '@app/platform';

/** Metadata on every event: who, when, from where, why (correlation), in which schema. */
export interface EventMetadata {
  [key: string]: unknown;
  occurredAt: string;
  actor: { type: string; id: string | null };
  correlationId: string;
  causationId: string | null;
  ip: string | null;
  userAgent: string | null;
  schemaVersion: number;
}

export const SCHEMA_VERSION = 1;

export function eventMetadata(
  context: RequestContext,
  occurredAt: Date,
  causationId: string | null = null,
): EventMetadata {
  return {
    occurredAt: occurredAt.toISOString(),
    actor: { type: context.actor.type, id: context.actor.id },
    correlationId: context.correlationId,
    causationId: causationId ?? context.requestId,
    ip: context.ip,
    userAgent: context.userAgent,
    schemaVersion: SCHEMA_VERSION,
  };
}
