import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { WrongExpectedRevisionError } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

let dir: string | undefined;
const file = () => {
  dir ??= mkdtempSync(join(tmpdir(), 'event-store-'));
  return join(dir, 'events.sqlite');
};
const dispose = async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
};

describeEventStoreContract('SqliteEventStore', { open: async () => new SqliteEventStore(file()), dispose });

// A long-lived server: the suite must hold on a log that already has more events than any one
// read returns (it once read `$all` from the start with maxCount 100,000 to find its own).
let longLived: string | undefined;
async function longLivedStore(): Promise<SqliteEventStore> {
  if (!longLived) {
    longLived = join(mkdtempSync(join(tmpdir(), 'event-store-long-')), 'events.sqlite');
    const filler = new SqliteEventStore(longLived);
    for (let i = 0; i < 101; i++) {
      const batch = Array.from({ length: 1000 }, (_, k) => ({ type: 'Earlier', data: { n: i * 1000 + k } }));
      await filler.append(`earlier-${i}`, batch, { expectedRevision: 'no_stream' });
    }
    await filler.close();
  }
  return new SqliteEventStore(longLived);
}
afterAll(() => {
  if (longLived) rmSync(join(longLived, '..'), { recursive: true, force: true });
});
describeEventStoreContract('SqliteEventStore on a log of 101,000 earlier events', { open: longLivedStore });

describe('SqliteEventStore specifics', () => {
  afterEach(dispose);

  it('detects an edited past event through the hash chain', async () => {
    const store = new SqliteEventStore(file());
    await store.append(
      'user-1',
      [
        { type: 'A', data: { v: 1 } },
        { type: 'B', data: { v: 2 } },
      ],
      {
        expectedRevision: 'no_stream',
      },
    );
    await store.append('user-2', [{ type: 'C', data: {} }], { expectedRevision: 'no_stream' });
    expect(store.verifyChain()).toEqual({ ok: true, count: 3 });
    await store.close();

    const raw = new Database(file());
    raw.prepare(`UPDATE events SET data = '{"v":99}' WHERE type = 'B'`).run();
    raw.close();

    const reopened = new SqliteEventStore(file());
    expect(reopened.verifyChain()).toEqual({ ok: false, brokenAt: '00000000000000000002' });
    await reopened.close();
  });

  it('commits the appends of one turn together; one that fails its expected revision fails alone', async () => {
    let commits = 0; // the store asks the time once per commit
    const store = new SqliteEventStore(file(), { now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, ++commits)) });
    await store.append('s-1', [{ type: 'A', data: {} }], { expectedRevision: 'no_stream' });
    // Issued in the same turn of the event loop: one transaction, one fsync.
    const results = await Promise.allSettled([
      store.append(
        's-2',
        [
          { type: 'B', data: {} },
          { type: 'C', data: {} },
        ],
        { expectedRevision: 'no_stream' },
      ),
      store.append('s-1', [{ type: 'D', data: {} }], { expectedRevision: 5 }), // wrong: s-1 is at 0
      store.append('s-1', [{ type: 'E', data: {} }], { expectedRevision: 0 }),
      store.append('s-1', [{ type: 'F', data: {} }], { expectedRevision: 1 }), // sees E, in the same transaction
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    const positions = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.position] : []));
    expect(positions).toEqual(['00000000000000000003', '00000000000000000004', '00000000000000000005']);
    expect(commits).toBe(2);
    const all = await store.readAll();
    expect(all.map((e) => [e.type, e.recordedAt])).toEqual([
      ['A', '2026-01-01T00:00:01.000Z'],
      ['B', '2026-01-01T00:00:02.000Z'],
      ['C', '2026-01-01T00:00:02.000Z'],
      ['E', '2026-01-01T00:00:02.000Z'],
      ['F', '2026-01-01T00:00:02.000Z'],
    ]);
    expect(store.verifyChain()).toEqual({ ok: true, count: 5 });
    await store.close();
  });

  it('writes appends accepted before close, and refuses appends after it', async () => {
    const store = new SqliteEventStore(file());
    const pending = store.append('s-1', [{ type: 'A', data: {} }], { expectedRevision: 'no_stream' });
    await store.close();
    await expect(pending).resolves.toMatchObject({ position: '00000000000000000001' });
    await expect(store.append('s-1', [{ type: 'B', data: {} }], { expectedRevision: 'any' })).rejects.toThrow('closed');
    const reopened = new SqliteEventStore(file());
    expect((await reopened.readStream('s-1')).map((e) => e.type)).toEqual(['A']);
    await reopened.close();
  });

  it('sees appends made by another process-level connection to the same file', async () => {
    const reader = new SqliteEventStore(file(), { pollIntervalMs: 20 });
    const writer = new SqliteEventStore(file());
    const subscription = reader.subscribeToAll();
    const received = (async () => {
      for await (const event of subscription) return event.type;
    })();
    await writer.append('s', [{ type: 'FromElsewhere', data: {} }], { expectedRevision: 'no_stream' });
    await expect(received).resolves.toBe('FromElsewhere');
    await subscription.close();
    await writer.close();
    await reader.close();
  });
});
