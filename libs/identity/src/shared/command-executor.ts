import { Injectable, Logger } from '@nestjs/common';
import { AppendResult, EventStore, RecordedEvent, WrongExpectedRevisionError } from '@app/event-store';
import { isIdentityEvent, type DomainEvent, type EventMetadata } from '@app/identity-events';
import { Decider, HistoryEvent } from './decider';
import { Snapshotting, WriteModelSnapshots } from './write-model-snapshots';

/** Events to append and what the decision tells its caller. */
export interface Decision<Result> {
  events: DomainEvent[];
  result: Result;
}

export interface ExecutionResult<Event> {
  events: Event[];
  /** Null when the decision produced no event. */
  appended: AppendResult | null;
}

const MAX_ATTEMPTS = 5;

/**
 * The one way a command changes state: read the stream, fold, decide, append with the expected
 * revision. On a conflict (someone appended in between) it starts over from the read, a bounded
 * number of times, so concurrent commands are decided on the state they really see.
 */
@Injectable()
export class CommandExecutor {
  /** Per-stream queues: commands on one stream in this process run one after another, so they
   * do not conflict with each other; the expected revision still guards against other processes. */
  private readonly streamQueues = new Map<string, Promise<unknown>>();

  private readonly logger = new Logger(CommandExecutor.name);

  constructor(
    private readonly events: EventStore,
    private readonly snapshots: WriteModelSnapshots,
  ) {}

  execute<Command, State, Event extends DomainEvent>(
    streamId: string,
    decider: Decider<Command, State, Event>,
    command: Command,
    metadata: EventMetadata,
  ): Promise<ExecutionResult<Event>> {
    return this.withLock(streamId, () => this.decideAndAppend(streamId, decider, command, metadata));
  }

  /** `execute` for a caller that already holds the stream's lock (see `withLock`). */
  executeLocked<Command, State, Event extends DomainEvent>(
    streamId: string,
    decider: Decider<Command, State, Event>,
    command: Command,
    metadata: EventMetadata,
  ): Promise<ExecutionResult<Event>> {
    return this.decideAndAppend(streamId, decider, command, metadata);
  }

  /**
   * `execute` for a decision that also answers the caller (was a proof accepted?): `decide`
   * returns the events and that answer; the answer of the attempt that was appended is returned.
   */
  async decideWithResult<Command, State, Result>(
    streamId: string,
    model: Pick<Decider<Command, State>, 'initialState' | 'evolve' | 'snapshot'>,
    decide: (command: Command, state: State) => Decision<Result>,
    command: Command,
    metadata: EventMetadata,
    options: { locked?: boolean } = {},
  ): Promise<ExecutionResult<DomainEvent> & { result: Result }> {
    const answers: Result[] = []; // one per attempt: a conflict decides again on the new state
    const decider: Decider<Command, State> = {
      ...model,
      decide: (c, state) => {
        const decision = decide(c, state);
        answers.push(decision.result);
        return decision.events;
      },
    };
    const run = () => this.decideAndAppend(streamId, decider, command, metadata);
    const executed = await (options.locked ? run() : this.withLock(streamId, run));
    if (answers.length === 0) throw new Error(`No decision was made on ${streamId}`);
    return { ...executed, result: answers[answers.length - 1] };
  }

  /**
   * Runs `work` alone among this process's commands on the stream: for decisions that must look,
   * check something expensive or external, and record, without another request slipping between.
   */
  withLock<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.streamQueues.get(streamId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(work);
    this.streamQueues.set(streamId, run);
    void run
      .finally(() => {
        if (this.streamQueues.get(streamId) === run) this.streamQueues.delete(streamId);
      })
      .catch(() => undefined);
    return run;
  }

  /** The current state of a stream under a decider's rules (for queries that need the write model). */
  async load<State>(
    streamId: string,
    decider: Pick<Decider<unknown, State>, 'initialState' | 'evolve' | 'snapshot'>,
  ): Promise<State> {
    return (await this.current(streamId, decider)).state;
  }

  /** Folds the stream, from the decider's latest snapshot when it keeps them. */
  private async current<State>(
    streamId: string,
    decider: Pick<Decider<unknown, State>, 'initialState' | 'evolve' | 'snapshot'>,
  ) {
    const snapshot = decider.snapshot ? await this.fromSnapshot(streamId, decider.snapshot) : null;
    const recorded = await this.events.readStream(
      streamId,
      snapshot ? { fromRevision: snapshot.revision + 1 } : undefined,
    );
    const state = recorded
      .map(historyEvent)
      .filter((event) => event !== null)
      .reduce((folded, event) => decider.evolve(folded, event), snapshot ? snapshot.state : decider.initialState());
    const revision = recorded.length > 0 ? recorded[recorded.length - 1].revision : (snapshot?.revision ?? null);
    if (decider.snapshot && revision !== null && recorded.length >= decider.snapshot.every) {
      // Streams that are only read on a hot path (the user stream at sign-in) get snapshots too.
      await this.saveSnapshot(streamId, decider.snapshot, revision, state);
    }
    return { state, revision, eventsRead: recorded.length };
  }

  /** The latest snapshot with its secrets read back from their events; null to fold from the start. */
  private async fromSnapshot<State>(
    streamId: string,
    snapshotting: Snapshotting<State>,
  ): Promise<{ revision: number; state: State } | null> {
    const kept = await this.snapshots.get(streamId, snapshotting as Snapshotting<unknown>);
    if (!kept) return null;
    const revisions = [...new Set(snapshotting.secretsAt?.(kept.json) ?? [])];
    const secretEvents = new Map<number, HistoryEvent>();
    for (const revision of revisions) {
      const [event] = await this.events.readStream(streamId, { fromRevision: revision, maxCount: 1 });
      if (!event || event.revision !== revision || revision > kept.revision) {
        this.logger.warn(
          `Ignoring the snapshot of ${streamId}: it refers to revision ${revision}, which it cannot read`,
        );
        return null;
      }
      const secret = historyEvent(event);
      if (secret) secretEvents.set(revision, secret);
    }
    return { revision: kept.revision, state: snapshotting.fromJson(kept.json, secretEvents) };
  }

  /** Best effort: without it the next read takes a longer tail, nothing more. */
  private async saveSnapshot<State>(
    streamId: string,
    snapshotting: Snapshotting<State>,
    revision: number,
    state: State,
  ): Promise<void> {
    await this.snapshots
      .put(streamId, snapshotting, revision, state)
      .catch((error) => this.logger.warn(`Could not snapshot ${streamId}: ${String(error)}`));
  }

  private async decideAndAppend<Command, State, Event extends DomainEvent>(
    streamId: string,
    decider: Decider<Command, State, Event>,
    command: Command,
    metadata: EventMetadata,
  ): Promise<ExecutionResult<Event>> {
    for (let attempt = 1; ; attempt++) {
      const { state, revision, eventsRead } = await this.current(streamId, decider);
      const decided = decider.decide(command, state);
      if (decided.length === 0) return { events: decided, appended: null };
      const expectedRevision = revision === null ? 'no_stream' : revision;
      try {
        const appended = await this.events.append(
          streamId,
          decided.map((event) => ({ type: event.type, data: event.data, metadata })),
          { expectedRevision },
        );
        if (decider.snapshot && eventsRead + decided.length >= decider.snapshot.every) {
          const occurredAt = metadata.occurredAt as string | undefined;
          const first = appended.nextExpectedRevision - decided.length + 1;
          const after = decided.reduce(
            (folded, event, i) => decider.evolve(folded, { ...event, occurredAt, revision: first + i }),
            state,
          );
          await this.saveSnapshot(streamId, decider.snapshot, appended.nextExpectedRevision, after);
        }
        return { events: decided, appended };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

/** A stored event as the rules fold it; null for a type this code does not know (a newer writer's). */
function historyEvent(event: RecordedEvent): HistoryEvent | null {
  if (!isIdentityEvent(event)) return null;
  // The recorded fields (id, position, metadata) ride along unused: copying type and data apart
  // would lose which payload goes with which type.
  return { ...event, occurredAt: event.metadata.occurredAt ?? event.recordedAt, revision: event.revision };
}
