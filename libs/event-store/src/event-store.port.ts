/**
 * The event store port. Every adapter (SQLite, KurrentDB) passes the contract suite in
 * `contract/event-store.contract.ts`.
 *
 * Positions are strings of decimal digits of a fixed width per adapter, so that plain string
 * comparison orders them like the log ("" sorts before every event). This keeps them exact
 * (KurrentDB positions are 64-bit commit/prepare pairs), JSON-safe and usable as cursors.
 */
export type Position = string;

/** The position before the first event: subscribing "after" it delivers everything. */
export const START: Position = '';

/** What the writer expects the stream to look like; a mismatch throws `WrongExpectedRevisionError`. */
export type ExpectedRevision =
  | 'no_stream' // the stream must not exist
  | 'stream_exists' // the stream must have at least one event
  | 'any' // no check
  | number; // the revision (0-based) of the stream's last event

export type EventPayload = Record<string, unknown>;

export interface NewEvent {
  /** A UUID; generated when missing. Re-appending the same id is not deduplicated by every adapter. */
  id?: string;
  type: string;
  data: EventPayload;
  metadata?: EventPayload;
}

export interface RecordedEvent {
  id: string;
  streamId: string;
  /** 0-based index of the event in its stream. */
  revision: number;
  position: Position;
  type: string;
  data: EventPayload;
  metadata: EventPayload;
  /** ISO 8601 UTC time the store recorded the event. */
  recordedAt: string;
}

export interface AppendResult {
  /** Revision of the last appended event: pass it as `expectedRevision` for the next append. */
  nextExpectedRevision: number;
  /** Position of the last appended event. */
  position: Position;
}

export interface ReadStreamOptions {
  /** First revision to return (default 0). */
  fromRevision?: number;
  /** Maximum number of events to return (default: all). */
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events strictly after this position (default: from the start). */
  after?: Position;
  /** Maximum number of events (default 1000). */
  maxCount?: number;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this position: a checkpoint. */
  after?: Position;
}

/**
 * A catch-up subscription: delivers every event after the checkpoint in log order, then follows
 * live appends without a gap or a duplicate at the switch. Iterate it with `for await`; `close()`
 * ends the iteration.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export abstract class EventStore {
  /** Appends atomically: all events or none, in order, to one stream. */
  abstract append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;

  /** Events of one stream in revision order; a missing stream reads as `[]`. */
  abstract readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Events of every stream in log order. */
  abstract readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  abstract subscribeToAll(options?: SubscribeOptions): Subscription;

  /** Position of the newest event, or `START` when the store is empty. */
  abstract headPosition(): Promise<Position>;

  /** Cheap liveness probe for readiness checks; throws when the store is unreachable. */
  abstract ping(): Promise<void>;

  abstract close(): Promise<void>;
}

/** The optimistic concurrency check failed: someone else appended first. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, -1 when it has none, undefined when unknown. */
    readonly actual: number | undefined,
  ) {
    super(
      `Wrong expected revision on ${streamId}: expected ${String(expected)}, actual ${
        actual === undefined ? 'unknown' : actual
      }`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** Fixed-width decimal encoding so that string order equals numeric order. */
export function encodePosition(value: bigint | number, width = 20): Position {
  // Most positions are safe integers, which String() writes as BigInt would, only faster.
  const digits = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  if (digits.startsWith('-') || digits.length > width) {
    throw new RangeError(`Position ${digits} does not fit ${width} digits`);
  }
  return digits.padStart(width, '0');
}
