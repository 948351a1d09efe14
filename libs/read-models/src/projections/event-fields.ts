import type { RecordedEvent } from '@app/event-store';

/** When the event happened by the writer's clock (metadata), else when it was stored. */
export const occurredAt = (event: RecordedEvent): string =>
  (event.metadata.occurredAt as string | undefined) ?? event.recordedAt;

/** The user an event is about, as a one-element list (or empty when it names none). */
export const userIdOf = (event: RecordedEvent): string[] => {
  const userId = (event.data as { userId?: unknown }).userId;
  return typeof userId === 'string' ? [userId] : [];
};
