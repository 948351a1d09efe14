import { Injectable } from '@nestjs/common';
import { EventStore, RecordedEvent } from '@app/event-store';
import { Clock, DomainError, ValidationFailedError } from '@app/platform';
import {
  ReadStore,
  replayProjection,
  SecurityEventDocument,
  SessionDocument,
  securityEventsProjection,
  sessionsProjection,
  UserDocument,
  usersProjection,
} from '@app/read-models';
import { ActiveSession, sessionView } from './session-queries';
import { AdministeredUser, administeredView } from './user-queries';

/** An event as the as-of view names it: what changed a field last. */
export interface ChangeRef {
  position: string;
  type: string;
  occurredAt: string;
  summary: string;
}

/** A session open at that moment. When it was last used is not in the log (activity is kept apart). */
export type SessionAsOf = Omit<ActiveSession, 'lastActiveAt'> & { lastActiveAt: null };

export type AdministeredUserAsOf = Omit<AdministeredUser, 'sessions'> & {
  asOf: string;
  sessions: SessionAsOf[];
  /** For each field of the account document, the last event up to `asOf` that changed it. */
  changedBy: Record<string, ChangeRef>;
  /** The last event of the account up to `asOf`. */
  lastChange: ChangeRef;
};

const PAGE = 1000;

/**
 * An account's security state as it was at a past moment, folded from its events up to then with
 * the same reducers the read models use: factors, recovery codes, roles, lock, open sessions.
 */
@Injectable()
export class UserAsOfQueries {
  constructor(
    private readonly readStore: ReadStore,
    private readonly events: EventStore,
    private readonly clock: Clock,
  ) {}

  async administeredAsOf(userId: string, asOf: Date): Promise<AdministeredUserAsOf> {
    if (asOf.getTime() > this.clock.now().getTime())
      throw new ValidationFailedError([{ field: 'asOf', message: 'asOf must not be in the future' }]);
    const entries = await this.entriesUpTo(userId, asOf.toISOString());
    const events = await this.eventsOf(entries);
    const byPosition = new Map(entries.map((entry) => [entry.position, entry]));

    const userHandlers = usersProjection.handlers;
    let user: UserDocument | null = null;
    const changedBy: Record<string, ChangeRef> = {};
    for (const event of events) {
      const handler = userHandlers[event.type];
      if (!handler || !handler.documentIds(event).includes(userId)) continue;
      const next = handler.evolve(user, event, userId);
      const entry = byPosition.get(event.position)!;
      for (const field of changedFields(user, next)) changedBy[field] = refOf(entry);
      user = next;
    }
    if (!user) throw new DomainError('not_found', 'No such user at that time.');

    const sessions = [...replayProjection(sessionsProjection, events).values()]
      .filter((session) => isOpenAt(session, userId, asOf))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((session): SessionAsOf => sessionView(session, null));
    return {
      ...administeredView(user, sessions, asOf),
      asOf: asOf.toISOString(),
      changedBy,
      lastChange: refOf(entries[entries.length - 1]),
    };
  }

  /** The account's audit entries up to `asOf` (inclusive), oldest first. */
  private async entriesUpTo(userId: string, asOf: string): Promise<SecurityEventDocument[]> {
    const entries: SecurityEventDocument[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.readStore.find<SecurityEventDocument>(securityEventsProjection.collection, {
        where: { userId: { eq: userId }, ...(after === undefined ? {} : { id: { gt: after } }) },
        orderBy: [{ field: 'id', direction: 'asc' }],
        limit: PAGE,
      });
      entries.push(...page.filter((entry) => entry.occurredAt <= asOf));
      if (page.length < PAGE) return entries;
      after = page[page.length - 1].id;
    }
  }

  /** The events behind the entries, read from their streams, in log order. */
  private async eventsOf(entries: SecurityEventDocument[]): Promise<RecordedEvent[]> {
    const wanted = new Set(entries.map((entry) => entry.position));
    const streams = [...new Set(entries.map((entry) => entry.stream))];
    const read = await Promise.all(streams.map((stream) => this.events.readStream(stream)));
    return read
      .flat()
      .filter((event) => wanted.has(event.position))
      .sort((a, b) => comparePositions(a.position, b.position));
  }
}

function refOf(entry: SecurityEventDocument): ChangeRef {
  return { position: entry.position, type: entry.type, occurredAt: entry.occurredAt, summary: entry.summary };
}

/** Positions are decimal strings, of one width per store: compared as numbers to be safe. */
function comparePositions(a: string, b: string): number {
  const [x, y] = [BigInt(a), BigInt(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The fields whose value an event changed (all of them when it created the document). */
function changedFields(before: UserDocument | null, after: UserDocument | null): string[] {
  if (!after) return [];
  return Object.keys(after).filter(
    (field) =>
      field !== '_position' &&
      JSON.stringify((before as Record<string, unknown> | null)?.[field]) !==
        JSON.stringify((after as Record<string, unknown>)[field]),
  );
}

function isOpenAt(session: SessionDocument, userId: string, asOf: Date): boolean {
  const at = asOf.toISOString();
  return session.userId === userId && session.revokedAt === null && session.createdAt <= at && session.expiresAt > at;
}
