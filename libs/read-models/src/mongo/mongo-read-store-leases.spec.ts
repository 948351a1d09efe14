import { mongo } from 'mongoose';
import { LeaseLostError } from '../read-store.port';
import { FakeMongoCall, fakeMongo } from './testing/fake-mongo';

/**
 * Leases and fencing of MongoReadStore against a recording fake of the driver (issue 16): what is
 * sent, with which filter and write concern, and how the answers are read. The behaviour against a
 * real replica set is the contract suite's (`npm run test:integration` with MONGO_URL).
 */
describe('MongoReadStore leases (recording fake of the driver)', () => {
  const now = new Date('2026-05-01T00:00:00.000Z');
  const later = (ms: number) => new Date(now.getTime() + ms);
  const on = (collection: string, method: string, answer: unknown) => (call: FakeMongoCall) =>
    call.collection === collection && call.method === method ? answer : undefined;

  it('takes a lease with one majority upsert that matches only a free, expired, own or named lease', async () => {
    const { store, calls } = fakeMongo();
    expect(await store.acquireLease('background-work', 'h1', 15_000, now, { takeOverFrom: 'h0' })).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ collection: 'leases', method: 'updateOne', inTransaction: false });
    expect(calls[0].args).toEqual([
      { _id: 'background-work', $or: [{ holder: 'h1' }, { expiresAt: { $lt: now } }, { holder: 'h0' }] },
      { $set: { holder: 'h1', expiresAt: later(15_000) } },
      { writeConcern: { w: 'majority' }, upsert: true },
    ]);
  });

  it('reads a duplicate key on that upsert as "held by another" (false), and rethrows any other error', async () => {
    const duplicate = new mongo.MongoServerError({ message: 'E11000 duplicate key error', code: 11000 });
    const held = fakeMongo(on('leases', 'updateOne', duplicate));
    expect(await held.store.acquireLease('background-work', 'h2', 15_000, now)).toBe(false);
    expect((held.calls[0].args[0] as { $or: unknown[] }).$or).toEqual([{ holder: 'h2' }, { expiresAt: { $lt: now } }]);

    const down = new mongo.MongoServerError({ message: 'not primary', code: 10107 });
    const failing = fakeMongo(on('leases', 'updateOne', down));
    await expect(failing.store.acquireLease('background-work', 'h2', 15_000, now)).rejects.toBe(down);
  });

  it('renews only the holder own lease (filter on the holder, not on expiry), released the same way', async () => {
    const renewed = fakeMongo(on('leases', 'updateOne', { matchedCount: 1 }));
    expect(await renewed.store.renewLease('background-work', 'h1', 15_000, later(20_000))).toBe(true);
    expect(renewed.calls[0].args).toEqual([
      { _id: 'background-work', holder: 'h1' },
      { $set: { expiresAt: later(35_000) } },
      { writeConcern: { w: 'majority' } },
    ]);
    const taken = fakeMongo(on('leases', 'updateOne', { matchedCount: 0 }));
    expect(await taken.store.renewLease('background-work', 'h1', 15_000, now)).toBe(false);

    await renewed.store.releaseLease('background-work', 'h1');
    expect(renewed.calls[1]).toMatchObject({ collection: 'leases', method: 'deleteOne' });
    expect(renewed.calls[1].args[0]).toEqual({ _id: 'background-work', holder: 'h1' });
  });

  it('reports the holder and the end of the lease as stored', async () => {
    const { store } = fakeMongo(on('leases', 'findOne', { _id: 'background-work', holder: 'h1', expiresAt: now }));
    expect(await store.leaseHolder('background-work')).toEqual({ holder: 'h1', expiresAt: now });
    expect(await fakeMongo().store.leaseHolder('background-work')).toBeNull();
  });

  const commit = {
    checkpoints: { users: '00000000000000000002' },
    changes: [{ collection: 'users', id: 'u1', document: { id: 'u1', _position: '00000000000000000002' } }],
    lease: { name: 'background-work', holder: 'h1' },
  };

  it('fences a commit: first in its transaction, a write to the lease document matched on the holder', async () => {
    const { store, calls } = fakeMongo(on('leases', 'updateOne', { matchedCount: 1 }));
    await store.commit(commit);
    expect(calls.map((c) => [c.collection, c.method, c.inTransaction])).toEqual([
      ['leases', 'updateOne', true],
      ['users', 'bulkWrite', true],
      ['projection_checkpoints', 'bulkWrite', true],
    ]);
    // A write that changes the document (a counter): one changing nothing would not conflict with a takeover.
    expect(calls[0].args.slice(0, 2)).toEqual([{ _id: 'background-work', holder: 'h1' }, { $inc: { commits: 1 } }]);
  });

  it('refuses a commit whose holder no longer holds the lease: LeaseLostError, and nothing else is written', async () => {
    const { store, calls } = fakeMongo(on('leases', 'updateOne', { matchedCount: 0 }));
    const refused = store.commit(commit);
    await expect(refused).rejects.toBeInstanceOf(LeaseLostError);
    await expect(refused).rejects.toMatchObject({ lease: 'background-work', holder: 'h1' });
    expect(calls.map((c) => [c.collection, c.method])).toEqual([['leases', 'updateOne']]);
    expect(store.isPermanentError(await refused.catch((error: unknown) => error))).toBe(false);
  });

  it('commits without touching the lease when the commit names none', async () => {
    const { store, calls } = fakeMongo();
    await store.commit({ ...commit, lease: undefined });
    expect(calls.some((c) => c.collection === 'leases')).toBe(false);
  });

  it('keeps the leases collection out of the read models', async () => {
    await expect(fakeMongo().store.ensureCollection('leases', [])).rejects.toThrow(/reserved/);
  });
});
