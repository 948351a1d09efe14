import type { DomainEvent } from '@app/identity-events';
import { Decider, fold, HistoryEvent } from '../shared/decider';

/** given(decider, events).when(command).then(events) / .thenThrows(ErrorClass, code) */
export function given<Command, State, Event extends DomainEvent>(
  decider: Decider<Command, State, Event>,
  history: HistoryEvent[],
) {
  return {
    when(command: Command) {
      const decide = () => decider.decide(command, fold(decider, history));
      return {
        then(expected: DomainEvent[]) {
          expect(decide()).toEqual(expected);
        },
        thenThrows(errorClass: new (...args: never[]) => Error, code?: string) {
          let thrown: unknown;
          try {
            decide();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(errorClass);
          if (code !== undefined) expect((thrown as { code?: string }).code).toBe(code);
        },
      };
    },
  };
}

/** A model whose `decide` is a decision that also answers its caller (a proof): for given/when/then of the events. */
export function deciding<Command, State, Result>(
  model: Pick<Decider<never, State>, 'initialState' | 'evolve'>,
  decide: (command: Command, state: State) => { events: DomainEvent[]; result: Result },
): Decider<Command, State> {
  return {
    initialState: model.initialState,
    evolve: model.evolve,
    decide: (command, state) => decide(command, state).events,
  };
}
