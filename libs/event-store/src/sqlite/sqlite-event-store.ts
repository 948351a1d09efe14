import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import {
  AppendResult,
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

interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  chain_hash: string;
}

/** RECORDED_COLUMNS as an array: raw rows are much cheaper to build than objects (rebuild reads). */
interface QueuedAppend {
  streamId: string;
  rows: { id: string; type: string; data: string; metadata: string }[];
  expectedRevision: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type RecordedRow = [
  position: number,
  eventId: string,
  streamId: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
  recordedAt: string,
];

export interface SqliteEventStoreOptions {
  /** How often a live subscription looks for appends made by other processes (ms). */
  pollIntervalMs?: number;
  /** Page size of catch-up reads. */
  catchUpBatchSize?: number;
  /** Returns the recording time; injected so tests can move time. */
  now?: () => Date;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT NOT NULL,
  stream_id   TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT NOT NULL,
  data        TEXT NOT NULL,
  metadata    TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  chain_hash  TEXT NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS streams (
  stream_id TEXT PRIMARY KEY,
  revision  INTEGER NOT NULL
) WITHOUT ROWID;
`;

const GENESIS_HASH = '0'.repeat(64);
/** What a RecordedEvent needs (not the chain hash): reads are the hot path of a rebuild. */
const RECORDED_COLUMNS = 'position, event_id, stream_id, revision, type, data, metadata, recorded_at';

/**
 * The embedded event store: one SQLite file in WAL mode with synchronous=FULL, so an acknowledged
 * append survives a crash. Appends run in IMMEDIATE transactions, which serialise writers (also
 * across processes), so positions are assigned in commit order and a reader never sees a gap; the
 * appends of one event-loop turn share one transaction (group commit, see `append`).
 *
 * Each row carries `chain_hash = sha256(previous chain_hash + the row)`: editing or deleting a past
 * event breaks the chain, which `verifyChain()` detects (the audit trail is tamper-evident).
 */
export class SqliteEventStore extends EventStore {
  private readonly db: Database.Database;
  private readonly waiters = new Set<() => void>();
  private readonly pollIntervalMs: number;
  private readonly catchUpBatchSize: number;
  private readonly now: () => Date;
  private closed = false;
  /** Appends waiting for this turn's group commit. */
  private queued: QueuedAppend[] = [];

  private readonly statements: {
    streamRevision: Database.Statement<[string], { revision: number }>;
    lastHash: Database.Statement<[], { chain_hash: string }>;
    insert: Database.Statement<unknown[]>;
    upsertStream: Database.Statement<[string, number]>;
    readStream: Database.Statement<[string, number, number], RecordedRow>;
    readAll: Database.Statement<[number, number], RecordedRow>;
    head: Database.Statement<[], { position: number }>;
  };

  constructor(
    readonly filename: string,
    options: SqliteEventStoreOptions = {},
  ) {
    super();
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.catchUpBatchSize = options.catchUpBatchSize ?? 500;
    this.now = options.now ?? (() => new Date());
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(SCHEMA);
    this.statements = {
      streamRevision: this.db.prepare('SELECT revision FROM streams WHERE stream_id = ?'),
      lastHash: this.db.prepare('SELECT chain_hash FROM events ORDER BY position DESC LIMIT 1'),
      insert: this.db.prepare(
        `INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at, chain_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertStream: this.db.prepare(
        'INSERT INTO streams (stream_id, revision) VALUES (?, ?) ON CONFLICT(stream_id) DO UPDATE SET revision = excluded.revision',
      ),
      readStream: this.db
        .prepare<[string, number, number], RecordedRow>(
          `SELECT ${RECORDED_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
        )
        .raw(true),
      readAll: this.db
        .prepare<[number, number], RecordedRow>(
          `SELECT ${RECORDED_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
        )
        .raw(true),
      head: this.db.prepare('SELECT position FROM events ORDER BY position DESC LIMIT 1'),
    };
  }

  /**
   * Group commit: appends requested in the same turn of the event loop are written in one IMMEDIATE
   * transaction, so they share one fsync (synchronous=FULL makes each commit wait for the disk, on
   * the event loop). Each append runs in its own savepoint: one that fails its expected revision
   * fails alone. Every append resolves only after the commit, so an acknowledged append is durable.
   */
  override append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    try {
      this.assertOpen();
      if (events.length === 0) throw new RangeError('append needs at least one event');
    } catch (error) {
      return Promise.reject(error);
    }
    // Serialised now, so later changes to the caller's objects cannot reach the log.
    const rows = events.map((event) => ({
      id: event.id ?? randomUUID(),
      type: event.type,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata ?? {}),
    }));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queued.push({ streamId, rows, expectedRevision: options.expectedRevision, resolve, reject });
      if (this.queued.length === 1) setImmediate(() => this.commitQueued());
    });
  }

  /** Writes every queued append in one transaction; see `append`. */
  private commitQueued(): void {
    const group = this.queued;
    this.queued = [];
    if (group.length === 0) return;
    if (this.closed) {
      for (const append of group) append.reject(new Error('SqliteEventStore is closed'));
      return;
    }
    const recordedAt = this.now().toISOString();
    const outcomes: ({ ok: true; result: AppendResult } | { ok: false; error: unknown })[] = [];
    try {
      this.db
        .transaction(() => {
          let previousHash = this.statements.lastHash.get()?.chain_hash ?? GENESIS_HASH;
          for (const append of group) {
            try {
              // A nested transaction is a savepoint: a failed append leaves no row behind.
              const written = this.db.transaction(() => this.writeAppend(append, previousHash, recordedAt))();
              previousHash = written.lastHash;
              outcomes.push({ ok: true, result: written.result });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // The transaction itself failed (busy, disk): nothing was written.
      for (const append of group) append.reject(error);
      return;
    }
    group.forEach((append, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) append.resolve(outcome.result);
      else append.reject(outcome.error);
    });
    this.wakeSubscribers();
  }

  private writeAppend(
    append: QueuedAppend,
    previousHash: string,
    recordedAt: string,
  ): { result: AppendResult; lastHash: string } {
    const { streamId, rows } = append;
    const current = this.statements.streamRevision.get(streamId)?.revision ?? -1;
    assertExpected(streamId, append.expectedRevision, current);
    let revision = current;
    let position = 0;
    let hash = previousHash;
    for (const row of rows) {
      revision += 1;
      hash = chainHash(hash, streamId, revision, row.id, row.type, row.data, row.metadata, recordedAt);
      const info = this.statements.insert.run(
        row.id,
        streamId,
        revision,
        row.type,
        row.data,
        row.metadata,
        recordedAt,
        hash,
      );
      position = Number(info.lastInsertRowid);
    }
    this.statements.upsertStream.run(streamId, revision);
    return { result: { nextExpectedRevision: revision, position: encodePosition(position) }, lastHash: hash };
  }

  override async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount ?? -1; // SQLite: a negative LIMIT means no limit
    return this.statements.readStream.all(streamId, options.fromRevision ?? 0, limit).map(toRecordedEvent);
  }

  override async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readAllSync(options.after ?? START, options.maxCount ?? 1000);
  }

  override subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    let active = true;
    let wake: (() => void) | undefined;
    // A generator function cannot be an arrow function, so it reaches the store through a name.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const store = this;

    async function* deliver(): AsyncGenerator<RecordedEvent> {
      let after = options.after ?? START;
      while (active && !store.closed) {
        const batch = store.readAllSync(after, store.catchUpBatchSize);
        if (batch.length > 0) {
          for (const event of batch) {
            if (!active) return;
            yield event;
            after = event.position;
          }
          continue;
        }
        // Live: wait for an append in this process, or poll for appends by other processes.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, store.pollIntervalMs);
          function done() {
            clearTimeout(timer);
            store.waiters.delete(done);
            wake = undefined;
            resolve();
          }
          wake = done;
          store.waiters.add(done);
        });
      }
    }

    const iterator = deliver();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        active = false;
        wake?.();
      },
    };
  }

  override async headPosition(): Promise<Position> {
    this.assertOpen();
    const row = this.statements.head.get();
    return row ? encodePosition(row.position) : START;
  }

  override async ping(): Promise<void> {
    this.assertOpen();
    this.db.prepare('SELECT 1').get();
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.commitQueued(); // appends already accepted are written, not dropped
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
    this.db.close();
  }

  /** Recomputes the hash chain; returns the first position whose row does not match, if any. */
  verifyChain(): { ok: true; count: number } | { ok: false; brokenAt: Position } {
    let previousHash = GENESIS_HASH;
    let count = 0;
    for (const row of this.db
      .prepare('SELECT * FROM events ORDER BY position')
      .iterate() as IterableIterator<EventRow>) {
      const expected = chainHash(
        previousHash,
        row.stream_id,
        row.revision,
        row.event_id,
        row.type,
        row.data,
        row.metadata,
        row.recorded_at,
      );
      if (expected !== row.chain_hash) return { ok: false, brokenAt: encodePosition(row.position) };
      previousHash = row.chain_hash;
      count += 1;
    }
    return { ok: true, count };
  }

  private readAllSync(after: Position, maxCount: number): RecordedEvent[] {
    const from = after === START ? 0 : Number(after);
    return this.statements.readAll.all(from, maxCount).map(toRecordedEvent);
  }

  private wakeSubscribers(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteEventStore is closed');
  }
}

function assertExpected(streamId: string, expected: ExpectedRevision, current: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === -1) ||
    (expected === 'stream_exists' && current >= 0) ||
    (typeof expected === 'number' && expected === current);
  if (!ok) throw new WrongExpectedRevisionError(streamId, expected, current);
}

function chainHash(previous: string, ...fields: (string | number)[]): string {
  const hash = createHash('sha256').update(previous);
  // Length-prefix each field so that no two different rows serialise to the same bytes.
  for (const field of fields) {
    const text = String(field);
    hash.update(`${Buffer.byteLength(text)}:`).update(text);
  }
  return hash.digest('hex');
}

function toRecordedEvent([
  position,
  id,
  streamId,
  revision,
  type,
  data,
  metadata,
  recordedAt,
]: RecordedRow): RecordedEvent {
  return {
    id,
    streamId,
    revision,
    position: encodePosition(position),
    type,
    data: JSON.parse(data),
    metadata: JSON.parse(metadata),
    recordedAt,
  };
}
