import type { RecordedEvent } from '@app/event-store';

/** When the event happened by the writer's clock (metadata), else when it was stored. */
export const occurredAt = (event: RecordedEvent): string => {
  const at = event.metadata.occurredAt;
  return typeof at === 'string' ? at : event.recordedAt;
};

/** The user an event is about, as a one-element list (or empty when it names none). */
export const userIdOf = (event: RecordedEvent): string[] => {
  const userId = event.data.userId;
  return typeof userId === 'string' ? [userId] : [];
};
