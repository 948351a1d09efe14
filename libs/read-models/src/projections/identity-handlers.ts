import { isEventOf, type IdentityEventType, type RecordedIdentityEvent } from '@app/identity-events';
import type { ReadDocument } from '../read-store.port';
import type { ProjectionHandler } from '../projector/projection';

/** A projection's reducer for one identity event type, which sees the event typed by it. */
export interface IdentityEventHandler<D extends ReadDocument, T extends IdentityEventType> {
  documentIds(event: RecordedIdentityEvent<T>): string[];
  createsFromEventAlone?: boolean;
  evolve(document: D | null, event: RecordedIdentityEvent<T>, id: string): D | null;
}

/** One row of a projection's table: `[type, handler]`, the handler typed by the event type. */
export function on<D extends ReadDocument, T extends IdentityEventType>(
  type: T,
  handler: IdentityEventHandler<D, T>,
): [T, ProjectionHandler<D>] {
  return [
    type,
    {
      documentIds: (event) => (isEventOf(event, type) ? handler.documentIds(event) : []),
      createsFromEventAlone: handler.createsFromEventAlone,
      evolve: (document, event, id) => (isEventOf(event, type) ? handler.evolve(document, event, id) : document),
    },
  ];
}
