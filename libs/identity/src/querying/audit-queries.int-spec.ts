import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, ReadAllOptions, RecordedEvent } from '@app/event-store';
import { SecurityEventDocument, securityEventsProjection, usersProjection } from '@app/read-models';
import { SqliteReadStore } from '@app/read-models/sqlite/sqlite-read-store';
import { AuditQueries } from './audit-queries';

/** KurrentDB's positions: 40 digits (commit and prepare), beyond what a JSON number holds exactly. */
const KURRENT_POSITIONS = ['0000000000001234567890000000000001234567', '0000000000001234567890000000000001234568'];

function entryAt(position: string, eventId: string): SecurityEventDocument {
  return {
    id: position,
    _position: position,
    eventId,
    position,
    stream: 'user-u1',
    type: 'LoginFailed',
    occurredAt: '2026-11-28T10:00:00.000Z',
    actor: { type: 'anonymous', id: null },
    userId: 'u1',
    ip: '203.0.113.1',
    userAgent: 'a browser',
    correlationId: null,
    summary: 'Failed sign-in: wrong password',
  };
}

describe('the audit queries with 40-digit positions (KurrentDB)', () => {
  let dir: string;
  let readStore: SqliteReadStore;
  let queries: AuditQueries;
  const events: RecordedEvent[] = KURRENT_POSITIONS.map((position, i) => ({
    id: `e${i}`,
    streamId: 'user-u1',
    revision: i,
    position,
    type: 'LoginFailed',
    data: { userId: 'u1', reason: 'wrong_password' },
    metadata: {},
    recordedAt: '2026-11-28T10:00:00.000Z',
  }));
  const store = {
    readAll: async ({ after = '', maxCount = 1000 }: ReadAllOptions = {}) =>
      events.filter((e) => e.position > after).slice(0, maxCount),
  } as unknown as EventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-queries-'));
    readStore = new SqliteReadStore(join(dir, 'read.sqlite'));
    await readStore.ensureCollection(securityEventsProjection.collection, securityEventsProjection.indexes);
    // The lists name the account of each entry from the users read model (empty here: no address).
    await readStore.ensureCollection(usersProjection.collection, usersProjection.indexes);
    await readStore.commit({
      checkpoints: {},
      changes: KURRENT_POSITIONS.map((position, i) => ({
        collection: securityEventsProjection.collection,
        id: position,
        document: entryAt(position, `e${i}`),
      })),
    });
    queries = new AuditQueries(readStore, store);
  });
  afterEach(async () => {
    await readStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each position exactly, as a string, where numbers would print two different ones the same', async () => {
    expect(Number(KURRENT_POSITIONS[0])).toBe(Number(KURRENT_POSITIONS[1])); // why numbers will not do
    const page = await queries.page({}, undefined, 1);
    expect(page.items.map((e) => [e.id, e.position])).toEqual([[KURRENT_POSITIONS[1], '1234567890000000000001234568']]);
    expect(page.items[0]).not.toHaveProperty('userEmail'); // an account the users model does not know
    const next = await queries.page({}, page.nextCursor!, 1);
    expect(next.items.map((e) => e.position)).toEqual(['1234567890000000000001234567']);
    let csv = '';
    for await (const chunk of queries.csv({})) csv += chunk;
    expect(csv).toContain('"1234567890000000000001234568"');
    expect(csv).toContain('"1234567890000000000001234567"');
  });

  it('finds an entry by its 40-digit id, with its raw event', async () => {
    const entry = await queries.entry(KURRENT_POSITIONS[0]);
    expect(entry).toMatchObject({ id: KURRENT_POSITIONS[0], eventId: 'e0', data: { reason: 'wrong_password' } });
    await expect(queries.entry(`${KURRENT_POSITIONS[0]}0`)).rejects.toMatchObject({ code: 'not_found' });
  });
});
