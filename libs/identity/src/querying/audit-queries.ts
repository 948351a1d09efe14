import { Injectable } from '@nestjs/common';
import { EventStore, type RecordedEvent } from '@app/event-store';
import { IdentityEvent, isIdentityEvent, subjectOf } from '@app/identity-events';
import { DomainError, ValidationFailedError } from '@app/platform';
import {
  FindQuery,
  occurredAt,
  ReadStore,
  SecurityEventDocument,
  securityEventsProjection,
  UserDocument,
  usersProjection,
} from '@app/read-models';
import { csvRow, CSV_COLUMNS, redactEventData, redactStream } from './audit-export';
import { Page, positionCursor } from './paging';

export type EventFilters = { type?: string; userId?: string; from?: string; to?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/;
const TIMELINE_PAGE_SIZE = 20;
/** Internal bookkeeping that means nothing to the account holder. */
const HIDDEN_FROM_TIMELINE: readonly string[] = [IdentityEvent.EmailClaimed];
const TIMELINE_TYPES = Object.values(IdentityEvent).filter((type) => !HIDDEN_FROM_TIMELINE.includes(type));
const CSV_PAGE = 500;

/** An entry of the audit log as auditors read it (no payload; a challenge's id is hidden). */
/**
 * `position` is the event's place in the log as a decimal string without leading zeros: exact for
 * either store (SQLite's 20 digits, KurrentDB's 40), where a JSON number would round above 2^53.
 * `id` is the same position at the store's fixed width: the entry's key and the lists' cursor.
 */
export type AuditItem = Omit<SecurityEventDocument, '_position' | 'position' | 'correlationId'> & { position: string };

/**
 * An entry as the console lists it: a person who acted (`user`/`admin`) also gets `actor.email`,
 * and the account the event is about `userEmail`: their current address from the users read model
 * at query time, `null` once their data was erased; absent for other actors, for events about no
 * account and for an id the read model does not know.
 */
export type AuditListItem = AuditItem & { actor: AuditActor; userEmail?: string | null };
export type AuditActor = SecurityEventDocument['actor'] & { email?: string | null };

/** Actors that are people with an account, whose address the console shows. */
const PERSON_ACTORS: readonly string[] = ['user', 'admin'];

/** An entry of a user's own timeline. */
export type TimelineItem = Pick<SecurityEventDocument, 'id' | 'type' | 'occurredAt' | 'ip' | 'userAgent' | 'summary'>;

/** The audit log as read by auditors, admins and each user for their own account: read models only, the raw event from the log, redacted. */
@Injectable()
export class AuditQueries {
  constructor(
    private readonly readStore: ReadStore,
    private readonly events: EventStore,
  ) {}

  /** Newest first; `cursor` is the `nextCursor` of the previous page. */
  async page(filters: EventFilters, cursor: string | undefined, size: number): Promise<Page<AuditListItem>> {
    const page = await this.newestFirst(filters, positionCursor(cursor), size);
    const emails = await this.personEmails(page.items);
    return {
      items: page.items.map((e) => {
        const email = e.actor.id && PERSON_ACTORS.includes(e.actor.type) ? emails.get(e.actor.id) : undefined;
        const userEmail = e.userId ? emails.get(e.userId) : undefined;
        return {
          ...auditItem(e),
          actor: email === undefined ? e.actor : { ...e.actor, email },
          ...(userEmail === undefined ? {} : { userEmail }),
        };
      }),
      nextCursor: page.nextCursor,
    };
  }

  /** The user's own security history, without internal bookkeeping. */
  async timeline(userId: string, cursor: string | undefined): Promise<Page<TimelineItem>> {
    const page = await this.newestFirst({ userId }, positionCursor(cursor), TIMELINE_PAGE_SIZE, TIMELINE_TYPES);
    return {
      items: page.items.map((e) => ({
        id: e.id,
        type: e.type,
        occurredAt: e.occurredAt,
        ip: e.ip,
        userAgent: e.userAgent,
        summary: e.summary,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** One entry with its payload and metadata read from the log; secrets and bearer ids redacted. */
  async entry(id: string) {
    // An id as the lists give it (either store's width); a shorter one is read as SQLite's.
    if (!/^\d{1,40}$/.test(id)) throw new DomainError('not_found', 'No such event.');
    const entry = await this.readStore.get<SecurityEventDocument>(
      securityEventsProjection.collection,
      id.length < 20 ? id.padStart(20, '0') : id,
    );
    if (!entry) throw new DomainError('not_found', 'No such event.');
    const [event] = (await this.events.readAll({ after: previousPosition(entry.position), maxCount: 1 })).filter(
      (e) => e.id === entry.eventId,
    );
    return {
      ...auditItem(entry),
      data: event ? redactEventData(event.type, event.data) : null,
      metadata: event ? event.metadata : null,
    };
  }

  /** The whole filtered log as CSV, page by page, so memory does not grow with the number of events. */
  async *csv(filters: EventFilters): AsyncGenerator<string> {
    yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
    let cursor: string | undefined;
    for (;;) {
      const page = await this.readStore.find<SecurityEventDocument>(securityEventsProjection.collection, {
        where: { ...eventWhere(filters), ...(cursor ? { id: { lt: cursor } } : {}) },
        orderBy: [{ field: 'id', direction: 'desc' }],
        limit: CSV_PAGE,
      });
      if (page.length === 0) return;
      yield page.map(csvRow).join('');
      cursor = page[page.length - 1].id;
    }
  }

  /** The current address of each person who acted on the page or whom it is about: one read of the users model. */
  private async personEmails(items: SecurityEventDocument[]): Promise<Map<string, string | null>> {
    const ids = [
      ...new Set(
        items.flatMap((e) => [
          ...(e.actor.id && PERSON_ACTORS.includes(e.actor.type) ? [e.actor.id] : []),
          ...(e.userId ? [e.userId] : []),
        ]),
      ),
    ];
    if (ids.length === 0) return new Map();
    const users = await this.readStore.find<UserDocument>(usersProjection.collection, {
      where: { id: { in: ids } },
      limit: ids.length,
    });
    return new Map(users.map((user) => [user.id, user.email ?? null]));
  }

  private async newestFirst(
    filters: EventFilters,
    cursor: string | undefined,
    size: number,
    types?: readonly string[],
  ): Promise<Page<SecurityEventDocument>> {
    const page = await this.readStore.find<SecurityEventDocument>(securityEventsProjection.collection, {
      where: {
        ...eventWhere(filters),
        ...(types ? { type: { in: [...types] } } : {}),
        ...(cursor ? { id: { lt: cursor.padStart(20, '0') } } : {}),
      },
      orderBy: [{ field: 'id', direction: 'desc' }], // the audit log's id is the event's position
      limit: size + 1,
    });
    const items = page.slice(0, size);
    return { items, nextCursor: page.length > size ? items[items.length - 1].position : null };
  }
}

/** Checks the filters of the global log and turns dates into the times they stand for. */
export function validateFilters(input: EventFilters): EventFilters {
  const errors: { field: string; message: string }[] = [];
  if (input.type !== undefined && !(Object.values(IdentityEvent) as string[]).includes(input.type))
    errors.push({ field: 'type', message: 'type must be an event type' });
  if (input.userId !== undefined && !UUID.test(input.userId))
    errors.push({ field: 'userId', message: 'userId must be a UUID' });
  for (const field of ['from', 'to'] as const) {
    const value = input[field];
    if (value !== undefined && (!DATE.test(value) || Number.isNaN(Date.parse(value))))
      errors.push({ field, message: `${field} must be YYYY-MM-DD or an ISO time in UTC` });
  }
  if (errors.length > 0) throw new ValidationFailedError(errors);
  const from =
    input.from && input.from.length === 10
      ? `${input.from}T00:00:00.000Z`
      : input.from && new Date(input.from).toISOString();
  // A bare date as `to` includes that whole day.
  const to =
    input.to && input.to.length === 10
      ? new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000).toISOString()
      : input.to && new Date(input.to).toISOString();
  return { type: input.type, userId: input.userId, from, to };
}

function auditItem(e: SecurityEventDocument): AuditItem {
  return {
    id: e.id,
    eventId: e.eventId,
    position: decimalPosition(e.position),
    stream: redactStream(e.stream),
    type: e.type,
    occurredAt: e.occurredAt,
    actor: e.actor,
    userId: e.userId,
    ip: e.ip,
    userAgent: e.userAgent,
    summary: e.summary,
  };
}

function eventWhere(filters: EventFilters): NonNullable<FindQuery['where']> {
  return {
    ...(filters.type ? { type: { eq: filters.type } } : {}),
    ...(filters.userId ? { userId: { eq: filters.userId } } : {}),
    ...(filters.from || filters.to
      ? { occurredAt: { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lt: filters.to } : {}) } }
      : {}),
  };
}

/** A stored position (fixed-width digits) as the exact decimal number it is. */
export function decimalPosition(position: string): string {
  return position.replace(/^0+(?=\d)/, '');
}

function previousPosition(position: string): string {
  return (BigInt(position) - 1n).toString().padStart(position.length, '0');
}

/** Whether a stored event passes the log's filters (as validated): what an export of the log keeps. */
export function eventMatches(filters: EventFilters): (event: RecordedEvent) => boolean {
  return (event) => {
    if (filters.type !== undefined && event.type !== filters.type) return false;
    if (filters.userId !== undefined && !(isIdentityEvent(event) && subjectOf(event) === filters.userId)) return false;
    const at = occurredAt(event);
    return (filters.from === undefined || at >= filters.from) && (filters.to === undefined || at < filters.to);
  };
}
