import { EventEmitter } from 'node:events';
import { EventStore, Position, RecordedEvent, START, Subscription } from '@app/event-store';
import { DocumentChange, ReadDocument, ReadStore } from '../read-store.port';
import { Projection } from './projection';

export interface ProjectorOptions {
  /** Most events applied in one read-store commit. */
  batchSize?: number;
  /** Wait before resubscribing after a failure (ms). */
  retryDelayMs?: number;
  log?: (level: 'log' | 'warn' | 'error', message: string) => void;
}

export interface ProjectorStatus {
  running: boolean;
  /** The position every projection has processed up to (the lowest checkpoint). */
  checkpoint: Position;
  /** The checkpoint the projector resumed from when it started. */
  startedFrom: Position | null;
  lastError: string | null;
  /**
   * Set when a failure cannot pass by retrying (a duplicate key, a reducer that throws on an
   * event): the projector stopped after this position and waits for a fix (`npm run rebuild`, or a
   * restart once the cause is gone).
   */
  stalled: { after: Position; reason: string } | null;
  eventsProjected: number;
}

/** A reducer failed on an event: replaying the same event would fail the same way. */
export class ProjectionFailedError extends Error {
  constructor(
    readonly projection: string,
    readonly event: { position: Position; type: string },
    cause: unknown,
  ) {
    super(
      `projection ${projection} failed on ${event.type} at position ${event.position}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'ProjectionFailedError';
  }
}

/**
 * Runs projections over the event log: resumes from the lowest checkpoint, catches up, follows
 * live. Events are applied in batches; each batch's documents and checkpoints are committed
 * atomically, and a document skips events at or before its `_position`, so a replay after a crash
 * or a redelivery changes nothing.
 */
export class Projector {
  private readonly emitter = new EventEmitter();
  private readonly batchSize: number;
  private readonly retryDelayMs: number;
  private readonly log: NonNullable<ProjectorOptions['log']>;
  private readonly checkpoints = new Map<string, Position>();
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private status: ProjectorStatus = {
    running: false,
    checkpoint: START,
    startedFrom: null,
    lastError: null,
    stalled: null,
    eventsProjected: 0,
  };

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly projections: readonly Projection<ReadDocument>[],
    options: ProjectorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.log = options.log ?? (() => undefined);
    this.emitter.setMaxListeners(0);
    const names = new Set(projections.map((p) => p.name));
    if (names.size !== projections.length) throw new Error('Projection names must be unique');
  }

  /** Prepares the collections and starts following the log in the background. */
  async start(): Promise<void> {
    await this.prepare();
    this.status.startedFrom = this.lowestCheckpoint();
    this.stopping = false;
    this.status.running = true;
    this.log('log', `Projector resuming after position ${this.status.startedFrom || '(start)'}`);
    this.loop = this.superviseLoop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.close();
    await this.loop;
    this.status.running = false;
  }

  /**
   * Projects everything up to the current head, then returns (for rebuilds and tests). Pipelined:
   * the next batches are read and evolved while earlier ones are being committed (at most
   * COMMITS_IN_FLIGHT, in order); documents of those commits are read from `inFlight`, not from
   * the store.
   */
  async catchUp(): Promise<void> {
    await this.prepare();
    const head = await this.events.headPosition();
    let after = this.lowestCheckpoint();
    // Collections replayed from zero are loaded in bulk (the read store may defer index upkeep).
    const fromZero = [
      ...new Set(
        this.projections.filter((p) => (this.checkpoints.get(p.name) ?? START) === START).map((p) => p.collection),
      ),
    ];
    const bulk = fromZero.length > 0 && after < head;
    if (bulk) await this.readStore.beginBulkLoad(fromZero);
    const inFlight = new Map<string, ReadDocument | null>();
    const commits: Promise<void>[] = [];
    let previous: Promise<void> = Promise.resolve();
    let failure: { error: unknown } | undefined;
    try {
      while (after < head && !this.stopping) {
        const batch = await this.events.readAll({ after, maxCount: this.batchSize });
        if (batch.length === 0) break;
        const work = await this.evolveBatch(batch, inFlight);
        if (work) {
          // Chained, so checkpoints and progress advance in order even if the store reorders.
          previous = previous
            .then(() => this.commitBatch(work, batch.length))
            .then(() => {
              // Committed: the store has these now, unless a later batch changed them again.
              for (const [key, change] of work.changes) if (inFlight.get(key) === change.document) inFlight.delete(key);
            });
          commits.push(previous.then(undefined, (error: unknown) => void (failure ??= { error })));
          if (commits.length >= COMMITS_IN_FLIGHT) await commits.shift();
          if (failure) throw failure.error;
        }
        after = batch[batch.length - 1].position;
      }
      await previous;
    } finally {
      await previous.catch(() => undefined);
      if (bulk) await this.readStore.endBulkLoad(fromZero);
    }
  }

  /** Drops every projection's documents and checkpoint; the next start or catch-up replays from zero. */
  async reset(): Promise<void> {
    await this.prepare();
    await this.readStore.reset(
      this.projections.map((p) => p.name),
      [...new Set(this.projections.map((p) => p.collection))],
    );
    this.checkpoints.clear();
    this.status.checkpoint = START;
  }

  getStatus(): ProjectorStatus {
    return { ...this.status };
  }

  /** Resolves true once every projection has processed `position`, false after `timeoutMs`. */
  waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    if (this.status.checkpoint >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onProgress = (checkpoint: Position) => {
        if (checkpoint >= position) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (reached: boolean) => {
        clearTimeout(timer);
        this.emitter.off('progress', onProgress);
        resolve(reached);
      };
      this.emitter.on('progress', onProgress);
    });
  }

  /** Which documents each projection's handlers touch in the batch: `ids[p][e]` for projection
   * `p` and event `e`, undefined where the projection skips the event (asked once per batch: the
   * prefetch and the reducers both need them). */
  private touched(batch: RecordedEvent[]): (string[] | undefined)[][] {
    return this.projections.map((projection) => {
      const checkpoint = this.checkpoints.get(projection.name) ?? START;
      const ids = new Array<string[] | undefined>(batch.length);
      for (let e = 0; e < batch.length; e++) {
        const event = batch[e];
        if (event.position <= checkpoint) continue;
        ids[e] = projection.handlers[event.type]?.documentIds(event);
      }
      return ids;
    });
  }

  /** Loads every document the batch touches with one query per collection, not one per event;
   * documents of a commit still in flight come from `inFlight`. */
  private async prefetch(
    batch: RecordedEvent[],
    touched: (string[] | undefined)[][],
    inFlight: ReadonlyMap<string, ReadDocument | null>,
  ): Promise<Map<string, ReadDocument | null>> {
    const cache = new Map<string, ReadDocument | null>();
    const wanted = new Map<string, Set<string>>();
    this.projections.forEach((projection, p) => {
      for (let e = 0; e < batch.length; e++) {
        const documentIds = touched[p][e];
        if (!documentIds || projection.handlers[batch[e].type].createsFromEventAlone) continue;
        let ids = wanted.get(projection.collection);
        if (!ids) wanted.set(projection.collection, (ids = new Set<string>()));
        for (const id of documentIds) {
          const key = documentKey(projection.collection, id);
          if (inFlight.has(key)) cache.set(key, inFlight.get(key)!);
          else ids.add(id);
        }
      }
    });
    for (const [collection, ids] of wanted) {
      if (ids.size === 0) continue;
      const found = await this.readStore.getMany(collection, [...ids]);
      for (const id of ids) cache.set(documentKey(collection, id), null);
      for (const document of found) cache.set(documentKey(collection, document.id), document);
    }
    return cache;
  }

  private async prepare(): Promise<void> {
    for (const projection of this.projections) {
      await this.readStore.ensureCollection(projection.collection, projection.indexes);
      this.checkpoints.set(projection.name, await this.readStore.checkpoint(projection.name));
    }
    this.status.checkpoint = this.lowestCheckpoint();
  }

  private lowestCheckpoint(): Position {
    let lowest: Position | undefined;
    for (const position of this.checkpoints.values()) if (lowest === undefined || position < lowest) lowest = position;
    return lowest ?? START;
  }

  /**
   * Follows the log; on a failure logs it, waits, and resumes from the stored checkpoints. A
   * failure that retrying cannot cure stops it instead, said once in the log and in the status.
   */
  private async superviseLoop(): Promise<void> {
    while (!this.stopping) {
      try {
        // A backlog (a new or renamed projection, a wiped read store) is caught up first, in bulk
        // and pipelined, then the log is followed live.
        await this.catchUp();
        if (!this.stopping) await this.follow();
      } catch (error) {
        this.status.lastError = error instanceof Error ? error.message : String(error);
        if (error instanceof ProjectionFailedError || this.readStore.isPermanentError(error)) {
          this.status.stalled = { after: this.lowestCheckpoint(), reason: this.status.lastError };
          this.log(
            'error',
            `Projector stopped after position ${this.status.stalled.after || '(start)'}, and will not retry: ` +
              `${this.status.lastError}. Fix the cause, then run \`npm run rebuild\` or restart.`,
          );
          return;
        }
        this.log(
          'error',
          `Projector failed, resuming from checkpoint in ${this.retryDelayMs} ms: ${this.status.lastError}`,
        );
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
        if (!this.stopping) await this.prepare().catch(() => undefined);
      }
    }
  }

  private async follow(): Promise<void> {
    const subscription = this.events.subscribeToAll({ after: this.lowestCheckpoint() });
    this.subscription = subscription;
    if (this.stopping) await subscription.close();
    let pending: RecordedEvent[] = [];
    let flushing: Promise<void> = Promise.resolve();
    let flushScheduled = false;
    let failure: unknown;
    const flush = () => {
      const batch = pending;
      pending = [];
      flushing = flushing.then(async () => {
        if (batch.length === 0 || failure !== undefined) return;
        await this.apply(batch).catch(async (error) => {
          failure = error;
          await subscription.close(); // ends the iteration, which rethrows below
        });
      });
      return flushing;
    };
    try {
      for await (const event of subscription) {
        pending.push(event);
        if (pending.length >= this.batchSize) await flush();
        else if (!flushScheduled) {
          // Batch what arrives in one turn of the event loop, then commit it.
          flushScheduled = true;
          setImmediate(() => {
            flushScheduled = false;
            void flush();
          });
        }
        if (failure !== undefined) throw failure;
      }
      await flush();
      if (failure !== undefined) throw failure;
    } finally {
      await subscription.close();
      await flushing;
    }
  }

  private async apply(batch: RecordedEvent[]): Promise<void> {
    const work = await this.evolveBatch(batch, new Map());
    if (work) await this.commitBatch(work, batch.length);
  }

  /** Runs the batch through every projection; records each document it changes (and may read
   * again) in `inFlight` too.
   * Returns undefined when every projection had already processed the batch. */
  private async evolveBatch(
    batch: RecordedEvent[],
    inFlight: Map<string, ReadDocument | null>,
  ): Promise<BatchWork | undefined> {
    const changes = new Map<string, DocumentChange>();
    const touched = this.touched(batch);
    const cache = await this.prefetch(batch, touched, inFlight);
    const last = batch[batch.length - 1].position;
    const checkpoints: Record<string, Position> = {};

    for (const [p, projection] of this.projections.entries()) {
      const checkpoint = this.checkpoints.get(projection.name) ?? START;
      if (last <= checkpoint) continue;
      checkpoints[projection.name] = last;
      for (let e = 0; e < batch.length; e++) {
        const documentIds = touched[p][e];
        if (!documentIds) continue;
        const event = batch[e];
        const handler = projection.handlers[event.type];
        for (const id of documentIds) {
          const key = documentKey(projection.collection, id);
          if (handler.createsFromEventAlone) {
            changes.set(key, {
              collection: projection.collection,
              id,
              document: stamped(evolveOrFail(projection.name, handler, null, event, id), id, event.position),
            });
            continue;
          }
          const current = cache.get(key) ?? null;
          if (current && current._position >= event.position) continue; // already applied: a redelivery
          const document = stamped(evolveOrFail(projection.name, handler, current, event, id), id, event.position);
          cache.set(key, document);
          inFlight.set(key, document);
          changes.set(key, { collection: projection.collection, id, document });
        }
      }
    }
    if (Object.keys(checkpoints).length === 0) return undefined;
    return { checkpoints, changes };
  }

  private async commitBatch(work: BatchWork, events: number): Promise<void> {
    await this.readStore.commit({ checkpoints: work.checkpoints, changes: [...work.changes.values()] });
    for (const [name, position] of Object.entries(work.checkpoints)) this.checkpoints.set(name, position);
    this.status.eventsProjected += events;
    this.status.checkpoint = this.lowestCheckpoint();
    this.status.lastError = null;
    this.emitter.emit('progress', this.status.checkpoint);
  }
}

interface BatchWork {
  checkpoints: Record<string, Position>;
  changes: Map<string, DocumentChange>;
}

/** The document with its key and the position of the event that made it (copied only when a
 * reducer did not set them itself: a rebuild makes a million of these). */
function stamped<D extends ReadDocument>(document: D | null, id: string, position: Position): D | null {
  if (document === null) return null;
  return document.id === id && document._position === position ? document : { ...document, id, _position: position };
}

function evolveOrFail<D extends ReadDocument>(
  projection: string,
  handler: { evolve(document: D | null, event: RecordedEvent, id: string): D | null },
  document: D | null,
  event: RecordedEvent,
  id: string,
): D | null {
  try {
    return handler.evolve(document, event, id);
  } catch (error) {
    throw new ProjectionFailedError(projection, event, error);
  }
}

/** Commits a catch-up may have under way while it evolves the next batch. */
const COMMITS_IN_FLIGHT = 2;

const documentKey = (collection: string, id: string) => `${collection}\u0000${id}`;
