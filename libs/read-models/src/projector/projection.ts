import type { RecordedEvent } from '@app/event-store';
import type { IndexSpec, ReadDocument } from '../read-store.port';

/**
 * A read model: a table from event type to a pure reducer over the documents that event touches.
 * The projector does the I/O: it loads the documents, skips events a document has already seen
 * (its `_position`), stores the results and the checkpoint together.
 */
export interface Projection<D extends ReadDocument = ReadDocument> {
  /** Stable name, the key of the checkpoint. */
  readonly name: string;
  readonly collection: string;
  readonly indexes: IndexSpec[];
  /** Reducers per event type; other events are ignored. Each returns the new document or null to delete it. */
  readonly handlers: Readonly<Record<string, ProjectionHandler<D>>>;
}

export interface ProjectionHandler<D extends ReadDocument> {
  /** Ids of the documents the event changes. */
  documentIds(event: RecordedEvent): string[];
  /**
   * The event alone makes the whole document, which no other event touches (an audit entry keyed
   * by the event's position): the projector does not read it first. Replaying such an event
   * rewrites the same document, so a redelivery still changes nothing.
   */
  createsFromEventAlone?: boolean;
  /** Pure: returns a new document and never changes the one it is given (the projector may still
   * be committing that one). */
  evolve(document: D | null, event: RecordedEvent, id: string): D | null;
}

/** Builds a projection whose reducers each touch one document whose id is read off the event. */
export function defineProjection<D extends ReadDocument>(projection: Projection<D>): Projection<D> {
  return projection;
}

/**
 * The documents a projection makes from `events` alone, in memory, with the same reducers the
 * projector runs (events in log order). A user's state as of a past moment is this fold over
 * their events up to then.
 */
export function replayProjection<D extends ReadDocument>(
  projection: Projection<D>,
  events: Iterable<RecordedEvent>,
): Map<string, D> {
  const documents = new Map<string, D>();
  for (const event of events) {
    const handler = projection.handlers[event.type];
    if (!handler) continue;
    for (const id of handler.documentIds(event)) {
      const next = handler.evolve(documents.get(id) ?? null, event, id);
      if (next === null) documents.delete(id);
      else documents.set(id, { ...next, id, _position: event.position });
    }
  }
  return documents;
}
