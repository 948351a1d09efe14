import type { DomainEvent } from '@app/identity-events';
import type { Snapshotting } from './write-model-snapshots';

/**
 * The rules of one decision as data and pure functions (emmett's decider): fold the stream's
 * events with `evolve`, then `decide` returns the new events or throws a DomainError.
 */
export interface Decider<Command, State, Event extends DomainEvent = DomainEvent> {
  initialState(): State;
  evolve(state: State, event: HistoryEvent): State;
  decide(command: Command, state: State): Event[];
  /** Streams that grow without end (an account's sign-in attempts) keep snapshots of the state. */
  snapshot?: Snapshotting<State>;
}

/**
 * A past event as the rules see it: its type, its data, when it happened and, when read from its
 * stream, its revision (a state that keeps a secret remembers where it came from, see snapshots).
 */
export type HistoryEvent = DomainEvent & { occurredAt?: string; revision?: number };

export function fold<State>(
  decider: Pick<Decider<unknown, State>, 'initialState' | 'evolve'>,
  events: HistoryEvent[],
): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
