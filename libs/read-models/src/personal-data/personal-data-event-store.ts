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
import { PersonalDataSealer, type SealedPersonalData } from './personal-data-sealer';

/**
 * The event store as the service sees it: personal values are sealed with their owner's data key
 * on the way in (together, one envelope per payload) and opened on the way out (null once the
 * owner was erased), so deciders and
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
    return this.sealed.append(streamId, await this.sealAll(streamId, events), options);
  }

  override async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.sealed.readStream(streamId, options));
  }

  override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.sealed.readAll(options));
  }

  override subscribeToAll(options?: SubscribeOptions): Subscription {
    const inner = this.sealed.subscribeToAll(options);
    const openOne = async (event: RecordedEvent) => (await this.openAll([event]))[0];
    return {
      close: () => inner.close(),
      async *[Symbol.asyncIterator]() {
        for await (const event of inner) yield await openOne(event);
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

  /** Seals the personal values of a batch: the keys first (I/O once per owner), then the values. */
  private async sealAll(streamId: string, events: readonly NewEvent[]): Promise<NewEvent[]> {
    const owners = events.map((event) => {
      const owner = payloadOwner(streamId, event.data);
      return { data: owner, metadata: event.metadata ? metadataOwner(event.metadata, owner) : owner };
    });
    await this.sealer.prepareToSeal(owners.flatMap((o) => [o.data, o.metadata]));
    return events.map((event, i) => {
      const data = this.sealFields(event.data, owners[i].data, (field) => isPersonalField(event.type, field));
      if (!event.metadata) return { ...event, data };
      const metadata = this.sealFields(event.metadata, owners[i].metadata, (field) =>
        PERSONAL_METADATA_FIELDS.includes(field),
      );
      return { ...event, data, metadata };
    });
  }

  /**
   * The payload with its personal values moved into one sealed envelope (one cipher operation per
   * payload, not per value): `{..., $personal: {fields: [...], value: "v1.<owner>.<box>"}}`.
   */
  private sealFields(payload: EventPayload, owner: string, personal: (field: string) => boolean): EventPayload {
    if (ENVELOPE in payload) throw new Error(`A payload cannot carry its own ${ENVELOPE} field`);
    let values: Record<string, string> | null = null;
    let rest: EventPayload | null = null;
    for (const field in payload) {
      const value = payload[field];
      // Only text is personal: null stays null (nothing to hide, and "unknown" stays visible).
      if (typeof value !== 'string' || !personal(field)) continue;
      values ??= {};
      rest ??= { ...payload };
      values[field] = value;
      delete rest[field];
    }
    if (!values || !rest) return payload;
    const envelope: PersonalEnvelope = {
      fields: Object.keys(values),
      value: this.sealer.sealPrepared(owner, JSON.stringify(values)).$personal,
    };
    return { ...rest, [ENVELOPE]: envelope };
  }

  /** Opens every envelope of a page: the keys first (I/O once per owner), then the values. */
  private async openAll(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const sealed: SealedPersonalData[] = [];
    for (const event of events) {
      const inData = envelopeOf(event.data);
      const inMetadata = envelopeOf(event.metadata);
      if (inData) sealed.push({ $personal: inData.value });
      if (inMetadata) sealed.push({ $personal: inMetadata.value });
    }
    if (sealed.length === 0) return events;
    await this.sealer.prepareToOpen(sealed);
    return events.map((event) => {
      const data = this.openFields(event.data);
      const metadata = this.openFields(event.metadata);
      return data === event.data && metadata === event.metadata ? event : { ...event, data, metadata };
    });
  }

  /** The payload as written, or with null for each personal value once its owner was erased. */
  private openFields(payload: EventPayload): EventPayload {
    const envelope = envelopeOf(payload);
    if (!envelope) return payload;
    const { [ENVELOPE]: _sealed, ...rest } = payload;
    const opened = this.sealer.openPrepared({ $personal: envelope.value });
    if (opened === null) return { ...rest, ...Object.fromEntries(envelope.fields.map((field) => [field, null])) };
    return { ...rest, ...(JSON.parse(opened) as Record<string, string>) };
  }
}

/** Where a payload keeps its sealed personal values. */
const ENVELOPE = '$personal';

/**
 * The personal values of one payload, sealed together with their owner's data key. `fields` names
 * them in clear (field names are not personal) so that an erased owner's values read as null; the
 * names and values that count are the sealed ones.
 */
interface PersonalEnvelope {
  fields: string[];
  value: string;
}

function envelopeOf(payload: EventPayload): PersonalEnvelope | null {
  const envelope = payload[ENVELOPE] as Partial<PersonalEnvelope> | undefined;
  return envelope && typeof envelope.value === 'string' && Array.isArray(envelope.fields)
    ? (envelope as PersonalEnvelope)
    : null;
}
