import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START as LOG_START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamSubscription,
  type AppendStreamState,
  type Position as LogPosition,
  type ReadPosition,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
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
  START,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
  encodePosition,
} from '../event-store.port';

const POSITION_PART_WIDTH = 20; // a u64 has at most 20 decimal digits
const DEFAULT_READ_ALL_COUNT = 1000;
const MAX_READ_PAGE = 1000;
const HEAD_SEARCH_PAGE = 256;

/** `commit` then `prepare`, each 20 digits: string order equals KurrentDB's (commit, prepare) order. */
export function encodeKurrentPosition(position: LogPosition): Position {
  return encodePosition(position.commit, POSITION_PART_WIDTH) + encodePosition(position.prepare, POSITION_PART_WIDTH);
}

/** The inverse of `encodeKurrentPosition`; `START` decodes to undefined (the beginning of the log). */
export function decodeKurrentPosition(position: Position): LogPosition | undefined {
  if (position === START) return undefined;
  if (!/^\d{40}$/.test(position)) throw new RangeError(`Not a KurrentDB position: "${position}"`);
  return {
    commit: BigInt(position.slice(0, POSITION_PART_WIDTH)),
    prepare: BigInt(position.slice(POSITION_PART_WIDTH)),
  };
}

export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new RangeError(`Expected revision must be a non-negative integer, got ${expected}`);
      }
      return BigInt(expected);
  }
}

/** The client's conflict, in the port's terms: the actual revision is -1 when the stream does not exist. */
export function toWrongExpectedRevisionError(
  streamId: string,
  expected: ExpectedRevision,
  error: Pick<WrongExpectedVersionError, 'actualState'>,
): WrongExpectedRevisionError {
  const actual = error.actualState;
  let actualRevision: number | undefined;
  if (actual === NO_STREAM || actual === -1n) actualRevision = -1;
  else if (typeof actual === 'bigint' && actual >= 0n) actualRevision = Number(actual);
  return new WrongExpectedRevisionError(streamId, expected, actualRevision);
}

/** System streams and events (`$`-prefixed) belong to KurrentDB, not to the application. */
export function isSystemEvent(event: { type: string; streamId: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** Data and metadata as JSON objects; anything else (binary, scalars) is wrapped rather than lost. */
export function toPayload(value: unknown): EventPayload {
  let parsed = value;
  if (value instanceof Uint8Array) {
    if (value.length === 0) return {};
    const text = Buffer.from(value).toString('utf8');
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (parsed === undefined || parsed === null) return {};
  if (typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as EventPayload;
  return { value: parsed };
}

function toRecordedEvent(event: KurrentRecordedEvent): RecordedEvent {
  if (!event.position) {
    // Stream reads carry positions only since EventStoreDB 22.6.
    throw new Error(`KurrentDB returned event ${event.id} without a position; KurrentDB >= 22.6 is required`);
  }
  return {
    id: event.id,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: encodeKurrentPosition(event.position),
    type: event.type,
    data: toPayload(event.data),
    metadata: toPayload(event.metadata),
    recordedAt: event.created.toISOString(), // a Date in client 1.x, converted from the server's ticks
  };
}

/**
 * The production event store: a KurrentDB server (or cluster) reached through its gRPC client.
 * KurrentDB gives atomic appends, optimistic concurrency and catch-up subscriptions natively; this
 * adapter maps them to the port and hides KurrentDB's own (`$`) streams.
 */
export class KurrentDbEventStore extends EventStore {
  private readonly client: KurrentDBClient;
  private readonly subscriptions = new Set<KurrentDbSubscription>();

  /** @param connectionString e.g. `kurrentdb://localhost:2113?tls=false` */
  constructor(connectionString: string) {
    super();
    this.client = KurrentDBClient.connectionString(connectionString);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const eventData = events.map((e) =>
      jsonEvent({ id: e.id ?? randomUUID(), type: e.type, data: e.data, metadata: e.metadata ?? {} }),
    );
    let result;
    try {
      result = await this.client.appendToStream(streamId, eventData, {
        streamState: toStreamState(options.expectedRevision),
      });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw toWrongExpectedRevisionError(streamId, options.expectedRevision, error);
      }
      throw error;
    }
    const nextExpectedRevision = Number(result.nextExpectedRevision);
    const position = result.position
      ? encodeKurrentPosition(result.position)
      : await this.positionOfRevision(streamId, nextExpectedRevision);
    return { nextExpectedRevision, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { fromRevision = 0, maxCount } = options;
    if (maxCount !== undefined && maxCount <= 0) return [];
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        fromRevision: BigInt(fromRevision),
        ...(maxCount !== undefined && { maxCount }),
      });
      for await (const resolved of read) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? DEFAULT_READ_ALL_COUNT;
    const events: RecordedEvent[] = [];
    // A read from a position includes the event at it, and system events are dropped here, so page
    // on and skip everything at or before the last position seen.
    let seen = options.after ?? START;
    let from: ReadPosition = decodeKurrentPosition(seen) ?? LOG_START;
    while (events.length < maxCount) {
      const pageSize = Math.min(maxCount - events.length + 1, MAX_READ_PAGE);
      let readCount = 0;
      let last: LogPosition | undefined;
      const page = this.client.readAll({ fromPosition: from, maxCount: pageSize, direction: FORWARDS });
      for await (const resolved of page) {
        readCount++;
        const event = resolved.event;
        if (!event) continue;
        last = event.position;
        const position = encodeKurrentPosition(event.position);
        if (position <= seen) continue;
        seen = position;
        if (!isSystemEvent(event) && events.length < maxCount) events.push(toRecordedEvent(event));
      }
      if (readCount < pageSize || !last) break;
      from = last;
    }
    return events;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const after = options.after ?? START;
    const source = this.client.subscribeToAll({
      fromPosition: decodeKurrentPosition(after) ?? LOG_START,
      filter: excludeSystemEvents(),
    });
    const subscription = new KurrentDbSubscription(source, after, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<Position> {
    let from: ReadPosition = END;
    for (;;) {
      let readCount = 0;
      let last: LogPosition | undefined;
      const page = this.client.readAll({ fromPosition: from, maxCount: HEAD_SEARCH_PAGE, direction: BACKWARDS });
      for await (const resolved of page) {
        readCount++;
        if (!resolved.event) continue;
        if (!isSystemEvent(resolved.event)) return encodeKurrentPosition(resolved.event.position);
        last = resolved.event.position;
      }
      // Only system events so far: continue further back (re-reading `last` is harmless, it is a system event).
      if (readCount < HEAD_SEARCH_PAGE || !last) return START;
      from = last;
    }
  }

  async ping(): Promise<void> {
    const probe = this.client.readAll({ fromPosition: END, maxCount: 1, direction: BACKWARDS });
    for await (const _event of probe) {
      // Draining the read is the probe: it throws when the server is unreachable.
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  private async positionOfRevision(streamId: string, revision: number): Promise<Position> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`Appended event ${streamId}@${revision} could not be read back`);
    return event.position;
  }
}

/**
 * Wraps the client's catch-up subscription: yields mapped application events strictly after the
 * checkpoint, and ends iteration as soon as `close()` is called, even while waiting for an event.
 */
class KurrentDbSubscription implements Subscription {
  private closed = false;
  private closing?: Promise<void>;
  private signalClosed!: () => void;
  private readonly closedSignal = new Promise<undefined>((resolve) => {
    this.signalClosed = () => resolve(undefined);
  });
  private readonly failed: Promise<never>;

  constructor(
    private readonly source: AllStreamSubscription,
    /** Last delivered position: the server's start is already exclusive, this also guards against a replay. */
    private delivered: Position,
    private readonly onClosed: () => void,
  ) {
    // An error emitted before iteration starts would otherwise be lost (or crash the process).
    this.failed = new Promise<never>((_, reject) => source.on('error', reject));
    this.failed.catch(() => undefined);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent, void, undefined> {
    const events = this.source[Symbol.asyncIterator]();
    try {
      while (!this.closed) {
        const next = await Promise.race([events.next(), this.closedSignal, this.failed]);
        if (next === undefined || next.done) return;
        const event = next.value.event;
        if (!event || isSystemEvent(event)) continue;
        const recorded = toRecordedEvent(event);
        if (recorded.position <= this.delivered) continue;
        this.delivered = recorded.position;
        yield recorded;
      }
    } finally {
      await this.close();
    }
  }

  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private async stop(): Promise<void> {
    this.closed = true;
    this.signalClosed();
    this.onClosed();
    try {
      await this.source.unsubscribe();
    } catch {
      // The call never started (e.g. the server was unreachable): nothing to cancel.
    }
    this.source.destroy();
  }
}
