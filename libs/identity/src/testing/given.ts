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
