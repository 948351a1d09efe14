import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../contract/event-store.contract';
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

describe('SqliteEventStore specifics', () => {
  afterEach(dispose);

  it('detects an edited past event through the hash chain', async () => {
    const store = new SqliteEventStore(file());
    await store.append('user-1', [{ type: 'A', data: { v: 1 } }, { type: 'B', data: { v: 2 } }], {
      expectedRevision: 'no_stream',
    });
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
