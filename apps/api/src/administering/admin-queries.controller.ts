import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { EventStore } from '@app/event-store';
import {
  DailyStatsDocument,
  dailyStatsProjection,
  FindQuery,
  ReadStore,
  SecurityEventDocument,
  securityEventsProjection,
  UserDocument,
  usersProjection,
} from '@app/read-models';
import { Clock, DomainError, ValidationFailedError } from '@app/platform';
import { IdentityEvent } from '@app/identity/events/identity-events';
import { RequireRoles } from '@app/http-edge';
import { isLocked, SessionQueries } from '@app/identity/querying/session-queries';
import { csvRow, CSV_COLUMNS, redact, redactStream } from '@app/identity/administering/audit-export';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/;

type EventFilters = { type?: string; userId?: string; from?: string; to?: string };

/** What auditors and admins read. Only read models; the raw event comes from the log, redacted. */
@ApiTags('administration')
@ApiBearerAuth()
@RequireRoles('auditor', 'admin')
@Controller('v1/admin')
export class AdminQueriesController {
  constructor(
    private readonly readStore: ReadStore,
    private readonly events: EventStore,
    private readonly sessions: SessionQueries,
    private readonly clock: Clock,
  ) {}

  @Get('users')
  @ApiQuery({ name: 'q', required: false, description: 'email prefix' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async users(@Query('q') q?: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    const size = pageSize(limit, 50);
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const prefix = (q ?? '').trim().toLowerCase();
    const page = await this.readStore.find<UserDocument>(usersProjection.collection, {
      where: { emailNormalized: { ...(prefix ? { prefix } : {}), ...(after !== undefined ? { gt: after } : {}) } },
      orderBy: [{ field: 'emailNormalized', direction: 'asc' }],
      limit: size + 1,
    });
    const items = page.slice(0, size);
    const now = this.clock.now().toISOString();
    return {
      items: items.map((u) => ({
        id: u.id,
        email: u.email,
        roles: u.roles,
        createdAt: u.createdAt,
        mfa: u.mfa,
        locked: isLocked(u, new Date(now)),
        lastLoginAt: u.lastLoginAt,
      })),
      nextCursor: page.length > size ? encodeCursor(items[items.length - 1].emailNormalized) : null,
    };
  }

  @Get('users/:id')
  async user(@Param('id', new ParseUUIDPipe()) id: string) {
    const user = await this.readStore.get<UserDocument>(usersProjection.collection, id);
    if (!user) throw new DomainError('not_found', 'No such user.');
    const now = this.clock.now();
    const sessions = await this.sessions.active(id);
    // `email` is the email-code method, as in GET /v1/me/security; the address is `email.address`.
    return {
      id: user.id,
      roles: user.roles,
      createdAt: user.createdAt,
      lastLoginAt: user.lastLoginAt,
      locked: isLocked(user, now),
      lockedUntil: user.lockedUntil && user.lockedUntil > now.toISOString() ? user.lockedUntil : null,
      password: { changedAt: user.passwordChangedAt },
      totp: { enabled: user.mfa.totp, enabledAt: user.totpEnabledAt },
      email: { enabled: user.mfa.email, enabledAt: user.emailMfaEnabledAt, address: user.email, verifiedBy: user.emailVerifiedBy ?? null },
      recoveryCodes: user.recoveryCodes,
      sessions,
    };
  }

  @Get('users/:id/events')
  async userEvents(@Param('id', new ParseUUIDPipe()) id: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    return this.eventPage({ userId: id }, cursor, pageSize(limit, 50));
  }

  /** The global log; `Accept: text/csv` streams the whole filtered log as CSV. */
  @Get('events')
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'userId', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD or ISO time (UTC), inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD (inclusive day) or ISO time (exclusive)' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async globalEvents(
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('accept') accept?: string,
    @Query('type') type?: string,
    @Query('userId') userId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    const filters = validateFilters({ type, userId, from, to });
    if (accept?.includes('text/csv')) {
      response.header('Content-Type', 'text/csv; charset=utf-8');
      response.header('Content-Disposition', 'attachment; filename="security-events.csv"');
      return this.csvStream(filters);
    }
    return this.eventPage(filters, cursor, pageSize(limit, 50));
  }

  /** `id` is the audit entry's id from a list (its log position), not the event's UUID. */
  @Get('events/:id')
  async rawEvent(@Param('id') id: string) {
    if (!/^\d{1,20}$/.test(id)) throw new DomainError('not_found', 'No such event.');
    const entry = await this.readStore.get<SecurityEventDocument>(securityEventsProjection.collection, id.padStart(20, '0'));
    if (!entry) throw new DomainError('not_found', 'No such event.');
    const [event] = (await this.events.readAll({ after: previousPosition(entry.position), maxCount: 1 })).filter((e) => e.id === entry.eventId);
    return {
      id: entry.id,
      eventId: entry.eventId,
      position: Number(entry.position),
      stream: redactStream(entry.stream),
      type: entry.type,
      occurredAt: entry.occurredAt,
      actor: entry.actor,
      userId: entry.userId,
      ip: entry.ip,
      userAgent: entry.userAgent,
      summary: entry.summary,
      data: event ? redact(event.data) : null,
      metadata: event ? event.metadata : null,
    };
  }

  @Get('stats')
  async stats(@Query('from') from?: string, @Query('to') to?: string) {
    const today = this.clock.now().toISOString().slice(0, 10);
    const end = to ?? today;
    const start = from ?? new Date(Date.parse(`${end}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    for (const [field, value] of [['from', start], ['to', end]] as const) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
        throw new ValidationFailedError([{ field, message: `${field} must be a date YYYY-MM-DD` }]);
      }
    }
    const stored = await this.readStore.find<DailyStatsDocument>(dailyStatsProjection.collection, {
      where: { date: { gte: start, lte: end } },
      orderBy: [{ field: 'date', direction: 'asc' }],
      limit: 400,
    });
    const byDate = new Map(stored.map((d) => [d.date, d]));
    const days = [];
    for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`) && days.length < 400; t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      const day = byDate.get(date);
      days.push({ date, signIns: day?.signIns ?? 0, failures: day?.failures ?? 0, lockouts: day?.lockouts ?? 0, mfaEnabled: day?.mfaEnabled ?? 0 });
    }
    const users = await this.readStore.count(usersProjection.collection);
    const withTotp = await this.readStore.count(usersProjection.collection, { 'mfa.totp': { eq: true } });
    const emailOnly = await this.readStore.count(usersProjection.collection, { 'mfa.totp': { ne: true }, 'mfa.email': { eq: true } });
    return { days, mfaAdoption: { users, withMfa: withTotp + emailOnly } };
  }

  private async eventPage(filters: EventFilters, cursor: string | undefined, size: number) {
    if (cursor !== undefined && !/^\d{1,40}$/.test(cursor)) {
      throw new ValidationFailedError([{ field: 'cursor', message: 'cursor must be a nextCursor value' }]);
    }
    const page = await this.readStore.find<SecurityEventDocument>(securityEventsProjection.collection, {
      where: { ...eventWhere(filters), ...(cursor ? { id: { lt: cursor.padStart(20, '0') } } : {}) },
      orderBy: [{ field: 'id', direction: 'desc' }], // the audit log's id is the event's position
      limit: size + 1,
    });
    const items = page.slice(0, size);
    return {
      items: items.map(auditItem),
      nextCursor: page.length > size ? items[items.length - 1].position : null,
    };
  }

  /**
   * The filtered log as CSV, read page by page as the client takes it (Fastify pipes the stream with
   * backpressure), so memory does not grow with the number of events.
   */
  private csvStream(filters: EventFilters): Readable {
    const readStore = this.readStore;
    async function* rows(): AsyncGenerator<string> {
      yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
      let cursor: string | undefined;
      for (;;) {
        const page = await readStore.find<SecurityEventDocument>(securityEventsProjection.collection, {
          where: { ...eventWhere(filters), ...(cursor ? { id: { lt: cursor } } : {}) },
          orderBy: [{ field: 'id', direction: 'desc' }],
          limit: 500,
        });
        if (page.length === 0) return;
        yield page.map(csvRow).join('');
        cursor = page[page.length - 1].id;
      }
    }
    return Readable.from(rows(), { objectMode: false });
  }
}

function auditItem(e: SecurityEventDocument) {
  return { id: e.id, eventId: e.eventId, position: Number(e.position), stream: redactStream(e.stream), type: e.type, occurredAt: e.occurredAt, actor: e.actor, userId: e.userId, ip: e.ip, userAgent: e.userAgent, summary: e.summary };
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

function validateFilters(input: EventFilters): EventFilters {
  const errors: { field: string; message: string }[] = [];
  if (input.type !== undefined && !(Object.values(IdentityEvent) as string[]).includes(input.type)) errors.push({ field: 'type', message: 'type must be an event type' });
  if (input.userId !== undefined && !UUID.test(input.userId)) errors.push({ field: 'userId', message: 'userId must be a UUID' });
  for (const field of ['from', 'to'] as const) {
    const value = input[field];
    if (value !== undefined && (!DATE.test(value) || Number.isNaN(Date.parse(value)))) errors.push({ field, message: `${field} must be YYYY-MM-DD or an ISO time in UTC` });
  }
  if (errors.length > 0) throw new ValidationFailedError(errors);
  const from = input.from && input.from.length === 10 ? `${input.from}T00:00:00.000Z` : input.from && new Date(input.from).toISOString();
  // A bare date as `to` includes that whole day.
  const to = input.to && input.to.length === 10 ? new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000).toISOString() : input.to && new Date(input.to).toISOString();
  return { type: input.type, userId: input.userId, from, to };
}

function pageSize(limit: string | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  const size = /^\d{1,3}$/.test(limit) ? Number(limit) : NaN;
  if (!(size >= 1 && size <= 200)) throw new ValidationFailedError([{ field: 'limit', message: 'limit must be from 1 to 200' }]);
  return size;
}

const encodeCursor = (value: string) => Buffer.from(value, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]{1,700}$/.test(cursor)) throw new ValidationFailedError([{ field: 'cursor', message: 'cursor must be a nextCursor value' }]);
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

function previousPosition(position: string): string {
  return (BigInt(position) - 1n).toString().padStart(position.length, '0');
}
