import { fakeMongo } from './testing/fake-mongo';

/**
 * The write path of MongoReadStore against a recording fake of the driver (see fake-mongo.ts).
 * It counts round trips: one bulk write per collection per batch, and a reset outside transactions.
 */
describe('MongoReadStore writes (recording fake of the driver)', () => {
  it('writes a batch of 2,000 documents in one bulk write per collection, in order, inside one transaction', async () => {
    const { store, calls, sessions } = fakeMongo();
    const changes = [
      ...Array.from({ length: 1500 }, (_, i) => ({
        collection: 'security_events_v2',
        id: String(i).padStart(20, '0'),
        document: { id: String(i).padStart(20, '0'), _position: '1', n: i },
      })),
      ...Array.from({ length: 499 }, (_, i) => ({
        collection: 'users',
        id: `u${i}`,
        document: { id: `u${i}`, _position: '1', n: i },
      })),
      { collection: 'users', id: 'u0', document: null }, // a later change to the same id, after the first
    ];
    await store.commit({ checkpoints: { users: '1', 'security-events-v2': '1' }, changes });

    expect(sessions()).toBe(1);
    expect(calls.map((c) => [c.collection, c.method, c.operations?.length, c.inTransaction])).toEqual([
      ['security_events_v2', 'bulkWrite', 1500, true],
      ['users', 'bulkWrite', 500, true],
      ['projection_checkpoints', 'bulkWrite', 2, true],
    ]);
    const users = calls[1].operations as Record<string, { filter: { _id: string } }>[];
    expect(users[0]).toEqual({
      replaceOne: { filter: { _id: 'u0' }, replacement: { _position: '1', n: 0 }, upsert: true },
    });
    expect(users[499]).toEqual({ deleteOne: { filter: { _id: 'u0' } } });
  });

  it('resets outside any transaction, the checkpoints first', async () => {
    const { store, calls, sessions } = fakeMongo();
    await store.reset(['users', 'sessions'], ['users', 'sessions']);
    expect(sessions()).toBe(0);
    expect(calls.map((c) => [c.collection, c.method])).toEqual([
      ['projection_checkpoints', 'deleteMany'],
      ['users', 'deleteMany'],
      ['sessions', 'deleteMany'],
    ]);
  });
});
