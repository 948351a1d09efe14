import { randomUUID } from 'node:crypto';

/** New identifiers (users, sessions, events); injected so tests can predict them. */
export abstract class IdGenerator {
  abstract newId(): string;
}

export class RandomIdGenerator extends IdGenerator {
  override newId(): string {
    return randomUUID();
  }
}
