import {
  AppendResult,
  EventPayload,
  EventStore,
  ExpectedRevision,
  NewEvent,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '@app/event-store';
import { isPersonalField, metadataOwner, payloadOwner, PERSONAL_METADATA_FIELDS } from '@app/identity-events';
import { isSealedPersonalData, PersonalDataSealer } from './personal-data-sealer';

/**
 * The event store as the service sees it: personal values are sealed with their owner's data key
 * on the way in and opened on the way out (null once the owner was erased), so deciders and
 * projections work with plain values while the log only ever holds sealed ones. The audit chain
 * reads the store underneath: it covers the sealed form, which an erasure leaves untouched.
 */
export class PersonalDataEventStore extends EventStore {
  constructor(
    /** The store underneath, as written. */
    readonly sealed: EventStore,
    readonly sealer: PersonalDataSealer,
  ) {
    super();
  }

  override async append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const sealedEvents = await Promise.all(events.map((event) => this.seal(streamId, event)));
    return this.sealed.append(streamId, sealedEvents, options);
  }

  override async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.sealed.readStream(streamId, options));
  }

  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.sealed.readAll(options));
  }

  override subscribeToAll(options?: SubscribeOptions): Subscription {
    const inner = this.sealed.subscribeToAll(options);
    const open = (event: RecordedEvent) => this.open(event);
    return {
      close: () => inner.close(),
      async *[Symbol.asyncIterator]() {
        for await (const event of inner) yield await open(event);
      },
    };
  }

  override headPosition(): Promise<Position> {
    return this.sealed.headPosition();
  }

  override ping(): Promise<void> {
    return this.sealed.ping();
  }

  override close(): Promise<void> {
    return this.sealed.close();
  }

  private async seal(streamId: string, event: NewEvent): Promise<NewEvent> {
    const owner = payloadOwner(streamId, event.data);
    const data = await this.sealFields(event.data, owner, (field) => isPersonalField(event.type, field));
    if (!event.metadata) return { ...event, data };
    const metadata = await this.sealFields(event.metadata, metadataOwner(event.metadata, owner), (field) =>
      PERSONAL_METADATA_FIELDS.includes(field),
    );
    return { ...event, data, metadata };
  }

  private async sealFields(
    payload: EventPayload,
    owner: string,
    personal: (field: string) => boolean,
  ): Promise<EventPayload> {
    let result: EventPayload | null = null;
    for (const [field, value] of Object.entries(payload)) {
      // Only text is personal: null stays null (nothing to hide, and "unknown" stays visible).
      if (typeof value !== 'string' || !personal(field)) continue;
      result ??= { ...payload };
      result[field] = await this.sealer.seal(owner, value);
    }
    return result ?? payload;
  }

  private async openAll(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const opened: RecordedEvent[] = [];
    for (const event of events) opened.push(await this.open(event));
    return opened;
  }

  private async open(event: RecordedEvent): Promise<RecordedEvent> {
    const data = await this.openFields(event.data);
    const metadata = await this.openFields(event.metadata);
    return data === event.data && metadata === event.metadata ? event : { ...event, data, metadata };
  }

  private async openFields(payload: EventPayload): Promise<EventPayload> {
    let result: EventPayload | null = null;
    for (const [field, value] of Object.entries(payload)) {
      if (!isSealedPersonalData(value)) continue;
      result ??= { ...payload };
      result[field] = await this.sealer.open(value);
    }
    return result ?? payload;
  }
}
