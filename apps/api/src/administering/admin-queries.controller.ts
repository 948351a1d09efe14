import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { RequireRoles } from '@app/http-edge';
import { AuditQueries, eventMatches, validateFilters } from '@app/identity/querying/audit-queries';
import { AuditIntegrity } from '@app/audit-trail';
import { pageSize } from '@app/identity/querying/paging';
import { StatsQueries } from '@app/identity/querying/stats-queries';
import { UserQueries } from '@app/identity/querying/user-queries';
import { UserAsOfQueries } from '@app/identity/querying/user-as-of';
import { ValidationFailedError } from '@app/platform';

/** What auditors and admins read: the query services, over read models and the (redacted) log. */
@ApiTags('administration')
@ApiBearerAuth()
@RequireRoles('auditor', 'admin')
@Controller('v1/admin')
export class AdminQueriesController {
  constructor(
    private readonly users: UserQueries,
    private readonly audit: AuditQueries,
    private readonly stats: StatsQueries,
    private readonly asOf: UserAsOfQueries,
    private readonly integrity: AuditIntegrity,
  ) {}

  @Get('users')
  @ApiQuery({ name: 'q', required: false, description: 'email prefix' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  userList(@Query('q') q?: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    return this.users.search(q, cursor, pageSize(limit, 50));
  }

  /** The account now, or with `asOf` as it was then (folded from its events up to that moment). */
  @Get('users/:id')
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO time (UTC): the state as it was then' })
  user(@Param('id', new ParseUUIDPipe()) id: string, @Query('asOf') asOf?: string) {
    if (asOf === undefined) return this.users.administered(id);
    return this.asOf.administeredAsOf(id, parseAsOf(asOf));
  }

  @Get('users/:id/events')
  userEvents(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    return this.audit.page({ userId: id }, cursor, pageSize(limit, 50));
  }

  /**
   * The global log; `Accept: text/csv` streams the whole filtered log as CSV; `Accept:
   * application/x-ndjson` as JSON Lines with the signed checkpoints (`npm run cli -- verify-export`).
   */
  @Get('events')
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'userId', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD or ISO time (UTC), inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD (inclusive day) or ISO time (exclusive)' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  globalEvents(
    @Headers('accept') accept?: string,
    @Query('type') type?: string,
    @Query('userId') userId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limit?: string,
  ) {
    const filters = validateFilters({ type, userId, from, to });
    if (accept?.includes('application/x-ndjson')) {
      return new StreamableFile(Readable.from(this.integrity.exportLines(eventMatches(filters), filters)), {
        type: 'application/x-ndjson; charset=utf-8',
        disposition: 'attachment; filename="security-events.jsonl"',
      });
    }
    if (accept?.includes('text/csv')) {
      return new StreamableFile(Readable.from(this.audit.csv(filters)), {
        type: 'text/csv; charset=utf-8',
        disposition: 'attachment; filename="security-events.csv"',
      });
    }
    return this.audit.page(filters, cursor, pageSize(limit, 50));
  }

  /** `id` is the audit entry's id from a list (its log position), not the event's UUID. */
  @Get('events/:id')
  rawEvent(@Param('id') id: string) {
    return this.audit.entry(id);
  }

  @Get('stats')
  statsOverTime(@Query('from') from?: string, @Query('to') to?: string) {
    return this.stats.daily(from, to);
  }
}

/** An ISO 8601 time with a zone (`2026-11-28T10:00:00Z`, `...+01:00`); anything else is a 400. */
function parseAsOf(value: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
    ? new Date(value)
    : null;
  if (!at || Number.isNaN(at.getTime()))
    throw new ValidationFailedError([
      { field: 'asOf', message: 'asOf must be an ISO time with a zone, e.g. 2026-11-28T10:00:00Z' },
    ]);
  return at;
}
