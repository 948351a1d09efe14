/**
 * The contract every ReadStore adapter passes. Collections and projections get a random suffix per
 * test, so the suite also runs against a shared MongoDB holding other data.
 */
import { randomBytes } from 'node:crypto';
import { START } from '@app/event-store';
import { ReadDocument, ReadStore } from '../read-store.port';

export interface ReadStoreContractHarness {
  /** A store ready for use; a second call within one test reopens the same storage. */
  open(): Promise<ReadStore>;
  /** Releases what `open` made (files, connections). */
  dispose?(): Promise<void>;
}

const pos = (n: number) => String(n).padStart(20, '0');
// Not `rejects.toThrow()`: native drivers may raise errors built in another Jest realm, which
// `toThrow` does not recognise as errors; what matters is that the commit is refused.

export function describeReadStoreContract(adapterName: string, harness: ReadStoreContractHarness): void {
  describe(`ReadStore contract: ${adapterName}`, () => {
    let store: ReadStore;
    let users: string;
    let other: string;
    let projection: string;

    const user = (id: string, fields: Record<string, unknown>, position = pos(1)): ReadDocument => ({
      id,
      _position: position,
      ...fields,
    });
    const put = (docs: ReadDocument[], checkpoint = pos(1)) =>
      store.commit({
        checkpoints: { [projection]: checkpoint },
        changes: docs.map((document) => ({ collection: users, id: document.id, document })),
      });

    beforeEach(async () => {
      store = await harness.open();
      const suffix = randomBytes(5).toString('hex');
      users = `users_${suffix}`;
      other = `other_${suffix}`;
      projection = `users-projection-${suffix}`;
      await store.ensureCollection(users, [{ fields: ['email'], unique: true }, { fields: ['createdAt'] }]);
      await store.ensureCollection(other, []);
    });

    afterEach(async () => {
      await store.close();
      await harness.dispose?.();
    });

    it('reads a missing document as null and an unknown checkpoint as START', async () => {
      expect(await store.get(users, 'nope')).toBeNull();
      expect(await store.checkpoint(projection)).toBe(START);
    });

    it('commits documents with their checkpoint and reads them back exactly', async () => {
      const doc = user('u1', {
        email: 'a@example.com',
        roles: ['admin', 'auditor'],
        mfa: { totp: true, email: false, enabledAt: null },
        count: 3,
        ratio: 0.5,
      });
      await put([doc], pos(7));
      expect(await store.get(users, 'u1')).toEqual(doc);
      expect(await store.checkpoint(projection)).toBe(pos(7));
    });

    it('is idempotent to ensureCollection and enforces unique indexes', async () => {
      await store.ensureCollection(users, [{ fields: ['email'], unique: true }, { fields: ['createdAt'] }]);
      await put([user('u1', { email: 'same@example.com' })]);
      await expect(put([user('u2', { email: 'same@example.com' })], pos(2))).rejects.toHaveProperty('message');
      expect(await store.get(users, 'u2')).toBeNull();
    });

    it('commits atomically: a failing change leaves no document and no checkpoint behind', async () => {
      await put([user('u1', { email: 'taken@example.com' })], pos(1));
      await expect(
        put([user('u2', { email: 'fresh@example.com' }), user('u3', { email: 'taken@example.com' })], pos(9)),
      ).rejects.toHaveProperty('message');
      expect(await store.get(users, 'u2')).toBeNull();
      expect(await store.checkpoint(projection)).toBe(pos(1));
    });

    it('replaces and deletes documents', async () => {
      await put([user('u1', { email: 'a@example.com', locked: false }), user('u2', { email: 'b@example.com' })]);
      await store.commit({
        checkpoints: { [projection]: pos(2) },
        changes: [
          { collection: users, id: 'u1', document: user('u1', { email: 'a@example.com' }, pos(2)) },
          { collection: users, id: 'u2', document: null },
        ],
      });
      expect(await store.get(users, 'u1')).toEqual(user('u1', { email: 'a@example.com' }, pos(2)));
      expect(await store.get(users, 'u2')).toBeNull();
    });

    it('applies several changes to one document in one commit in order', async () => {
      await store.commit({
        checkpoints: { [projection]: pos(3) },
        changes: [
          { collection: users, id: 'u1', document: user('u1', { v: 1 }, pos(1)) },
          { collection: users, id: 'u1', document: null },
          { collection: users, id: 'u1', document: user('u1', { v: 3 }, pos(3)) },
        ],
      });
      expect(await store.get(users, 'u1')).toEqual(user('u1', { v: 3 }, pos(3)));
    });

    it('deletes a document written earlier in the same commit', async () => {
      await store.commit({
        checkpoints: { [projection]: pos(2) },
        changes: [
          { collection: users, id: 'u1', document: user('u1', { v: 1 }, pos(1)) },
          { collection: users, id: 'u1', document: null },
        ],
      });
      expect(await store.get(users, 'u1')).toBeNull();
      expect(await store.count(users)).toBe(0);
    });

    it('writes hundreds of documents of several collections in one commit', async () => {
      await put([user('d7', { createdAt: 'old' })]);
      const docs = Array.from({ length: 301 }, (_, i) =>
        user(`d${i}`, { createdAt: String(i).padStart(3, '0') }, pos(2)),
      );
      await store.commit({
        checkpoints: { [projection]: pos(2) },
        changes: [
          ...docs.map((document) => ({ collection: users, id: document.id, document })),
          ...docs.slice(0, 70).map((document) => ({ collection: other, id: document.id, document })),
        ],
      });
      expect(await store.count(users)).toBe(301);
      expect(await store.count(other)).toBe(70);
      expect(await store.get(users, 'd7')).toEqual(docs[7]);
      expect(await store.get(users, 'd300')).toEqual(docs[300]);
      expect(await store.count(users, { createdAt: { gte: '100', lt: '200' } })).toBe(100);
    });

    it('loads in bulk: documents written meanwhile are found by indexed queries, unique indexes hold', async () => {
      await put([user('u0', { email: 'first@x', createdAt: '2026-01-01' })]);
      await store.beginBulkLoad([users]);
      for (let batch = 0; batch < 3; batch++) {
        const docs = Array.from({ length: 100 }, (_, i) =>
          user(
            `b${batch}-${i}`,
            { email: `b${batch}-${i}@x`, createdAt: `2026-02-${String(1 + (i % 28)).padStart(2, '0')}` },
            pos(2 + batch),
          ),
        );
        await put(docs, pos(2 + batch));
        expect(await store.count(users, { createdAt: { gte: '2026-02-01' } })).toBe(100 * (batch + 1));
      }
      await expect(put([user('dup', { email: 'first@x' })], pos(9))).rejects.toHaveProperty('message');
      await store.endBulkLoad([users]);
      expect(await store.checkpoint(projection)).toBe(pos(4));
      expect(await store.count(users)).toBe(301);
      expect((await store.find(users, { where: { createdAt: { eq: '2026-02-28' } } })).map((d) => d.id).sort()).toEqual(
        ['b0-27', 'b1-27', 'b2-27', 'b0-55', 'b1-55', 'b2-55', 'b0-83', 'b1-83', 'b2-83'].sort(),
      );
      await expect(put([user('dup', { email: 'b1-5@x' })], pos(9))).rejects.toHaveProperty('message');
    });

    it('keeps everything when a bulk load is never ended (a crash): reopening restores the indexes', async () => {
      await store.beginBulkLoad([users]);
      await put([user('u1', { email: 'crash@x', createdAt: '2026-03-01' })], pos(5));
      await store.close();
      store = await harness.open();
      await store.ensureCollection(users, [{ fields: ['email'], unique: true }, { fields: ['createdAt'] }]);
      expect(await store.checkpoint(projection)).toBe(pos(5));
      expect((await store.find(users, { where: { createdAt: { eq: '2026-03-01' } } })).map((d) => d.id)).toEqual([
        'u1',
      ]);
    });

    it('gets many documents by id, skipping missing ones', async () => {
      await put([user('u1', { email: 'a@x' }), user('u2', { email: 'b@x' }), user('u3', { email: 'c@x' })]);
      const found = await store.getMany(users, ['u3', 'missing', 'u1']);
      expect(found.map((d) => d.id).sort()).toEqual(['u1', 'u3']);
      expect(await store.getMany(users, [])).toEqual([]);
    });

    it('gets a document and the one its field names in another collection, at once', async () => {
      await put([user('u1', { email: 'a@x' })]);
      await store.commit({
        checkpoints: {},
        changes: [
          { collection: other, id: 's1', document: { id: 's1', _position: pos(2), userId: 'u1', n: 1 } },
          { collection: other, id: 's2', document: { id: 's2', _position: pos(2), userId: 'gone', n: 2 } },
        ],
      });
      const join = { field: 'userId', collection: users };
      expect(await store.getJoined(other, 's1', join)).toEqual({
        document: { id: 's1', _position: pos(2), userId: 'u1', n: 1 },
        joined: { id: 'u1', _position: pos(1), email: 'a@x' },
      });
      expect(await store.getJoined(other, 's2', join)).toEqual({
        document: { id: 's2', _position: pos(2), userId: 'gone', n: 2 },
        joined: null,
      });
      expect(await store.getJoined(other, 'missing', join)).toBeNull();
      // The same read after the joined document changed sees the change (nothing is cached).
      await put([user('u1', { email: 'b@x' }, pos(3))], pos(3));
      expect((await store.getJoined(other, 's1', join))?.joined).toEqual({ id: 'u1', _position: pos(3), email: 'b@x' });
    });

    it('finds by equality, inequality, set membership, range and nested fields', async () => {
      await put([
        user('u1', { email: 'a@x', n: 2, mfa: { totp: true }, tag: 'x' }),
        user('u2', { email: 'b@x', n: 10, mfa: { totp: false }, tag: null }),
        user('u3', { email: 'c@x', n: 5, mfa: { totp: true } }),
      ]);
      const ids = async (where: Parameters<ReadStore['find']>[1]) =>
        (await store.find(users, where)).map((d) => d.id).sort();
      expect(await ids({ where: { email: { eq: 'b@x' } } })).toEqual(['u2']);
      expect(await ids({ where: { 'mfa.totp': { eq: true } } })).toEqual(['u1', 'u3']);
      expect(await ids({ where: { 'mfa.totp': { ne: true } } })).toEqual(['u2']);
      expect(await ids({ where: { email: { in: ['a@x', 'c@x', 'z@x'] } } })).toEqual(['u1', 'u3']);
      expect(await ids({ where: { n: { gt: 2, lte: 10 } } })).toEqual(['u2', 'u3']);
      expect(await ids({ where: { n: { gte: 2, lt: 5 } } })).toEqual(['u1']);
      expect(await ids({ where: { tag: { eq: null } } })).toEqual(['u2', 'u3']);
      expect(await ids({ where: { n: { gt: 2 }, 'mfa.totp': { eq: true } } })).toEqual(['u3']);
      expect(await store.count(users, { 'mfa.totp': { eq: true } })).toBe(2);
      expect(await store.count(users)).toBe(3);
    });

    it('orders numbers numerically and strings by code point, with id as tie-breaker, and limits', async () => {
      await put([
        user('b', { n: 10, s: 'b' }),
        user('a', { n: 2, s: 'B' }),
        user('c', { n: 2, s: 'a' }),
        user('d', { n: 33, s: 'A' }),
      ]);
      const asc = await store.find(users, { orderBy: [{ field: 'n', direction: 'asc' }] });
      expect(asc.map((d) => d.id)).toEqual(['a', 'c', 'b', 'd']);
      const desc = await store.find(users, { orderBy: [{ field: 'n', direction: 'desc' }], limit: 2 });
      expect(desc.map((d) => d.id)).toEqual(['d', 'b']);
      const tiesDescending = await store.find(users, { orderBy: [{ field: 'n', direction: 'desc' }] });
      expect(tiesDescending.map((d) => d.id)).toEqual(['d', 'b', 'c', 'a']);
      const byString = await store.find(users, { orderBy: [{ field: 's', direction: 'asc' }] });
      expect(byString.map((d) => d.s)).toEqual(['A', 'B', 'a', 'b']);
    });

    it('matches a prefix literally, including characters special to SQL LIKE and regular expressions', async () => {
      await put([
        user('u1', { email: 'a%b_c@x' }),
        user('u2', { email: 'axbyc@x' }),
        user('u3', { email: 'a.*+?(x)[y]@x' }),
        user('u4', { email: 'A%b_c@x' }),
      ]);
      const ids = async (prefix: string) =>
        (await store.find(users, { where: { email: { prefix } } })).map((d) => d.id).sort();
      expect(await ids('a%b_')).toEqual(['u1']);
      expect(await ids('a.*+?(x)[')).toEqual(['u3']);
      expect(await ids('a')).toEqual(['u1', 'u2', 'u3']);
      expect(await ids('')).toEqual(['u1', 'u2', 'u3', 'u4']);
    });

    it('pages with a keyset cursor without gap or duplicate', async () => {
      const docs = Array.from({ length: 25 }, (_, i) =>
        user(`u${String(i).padStart(2, '0')}`, {
          email: `e${i}@x`,
          createdAt: `2026-01-${String((i % 5) + 1).padStart(2, '0')}`,
        }),
      );
      await put(docs);
      const seen: string[] = [];
      let last: ReadDocument | undefined;
      for (;;) {
        const page = await store.find(users, {
          where: last ? { createdAt: { gte: last.createdAt as string } } : undefined,
          orderBy: [{ field: 'createdAt', direction: 'asc' }],
          limit: 7 + seen.length, // over-fetch, then skip what was seen: exercises the tie-breaker
        });
        const fresh = page.filter((d) => !seen.includes(d.id));
        if (fresh.length === 0) break;
        seen.push(...fresh.slice(0, 7).map((d) => d.id));
        last = fresh.slice(0, 7).pop();
      }
      expect([...seen].sort()).toEqual(docs.map((d) => d.id));
      expect(new Set(seen).size).toBe(25);
    });

    it('round-trips unicode and a document of about 1 MB', async () => {
      const text = 'Grüße 漢字 パスワード 🔐 "q" \\ \n \u0000 end';
      const blob = 'y'.repeat(1_000_000);
      await put([user('ü-1', { email: text, blob })]);
      const read = await store.get(users, 'ü-1');
      expect(read?.email).toBe(text);
      expect((read?.blob as string).length).toBe(1_000_000);
      expect(await store.find(users, { where: { email: { prefix: 'Grüße 漢' } } })).toHaveLength(1);
    });

    it('loses no write under concurrent commits', async () => {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          store.commit({
            checkpoints: { [`${projection}-${i % 4}`]: pos(i + 1) },
            changes: [{ collection: users, id: `c${i}`, document: user(`c${i}`, { email: `c${i}@x` }, pos(i + 1)) }],
          }),
        ),
      );
      expect(await store.count(users)).toBe(40);
    });

    it('lists checkpoints and resets only the named projections and collections', async () => {
      await store.commit({
        checkpoints: { [projection]: pos(5), [`${projection}-other`]: pos(6) },
        changes: [
          { collection: users, id: 'u1', document: user('u1', { email: 'a@x' }) },
          { collection: other, id: 'o1', document: user('o1', { kept: true }) },
        ],
      });
      const before = await store.checkpoints();
      expect(before[projection]).toBe(pos(5));
      expect(before[`${projection}-other`]).toBe(pos(6));
      await store.reset([projection], [users]);
      expect(await store.get(users, 'u1')).toBeNull();
      expect(await store.checkpoint(projection)).toBe(START);
      expect(await store.get(other, 'o1')).not.toBeNull();
      expect(await store.checkpoint(`${projection}-other`)).toBe(pos(6));
      await put([user('u1', { email: 'a@x' })], pos(8));
      expect(await store.get(users, 'u1')).not.toBeNull();
    });

    it('keeps documents and checkpoints across reopening the store', async () => {
      await put([user('u1', { email: 'durable@x' })], pos(4));
      await store.close();
      store = await harness.open();
      expect((await store.get(users, 'u1'))?.email).toBe('durable@x');
      expect(await store.checkpoint(projection)).toBe(pos(4));
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('leases (issue 16: one process runs the background work)', () => {
      const t0 = new Date('2026-05-01T00:00:00.000Z');
      const at = (ms: number) => new Date(t0.getTime() + ms);
      let lease: string;
      beforeEach(() => (lease = `lease-${randomBytes(5).toString('hex')}`));

      it('takes a free lease, renews its own, refuses another holder until it expires', async () => {
        expect(await store.leaseHolder(lease)).toBeNull();
        expect(await store.acquireLease(lease, 'a', 10_000, t0)).toBe(true);
        expect(await store.leaseHolder(lease)).toEqual({ holder: 'a', expiresAt: at(10_000) });
        expect(await store.acquireLease(lease, 'b', 10_000, at(5_000))).toBe(false);
        expect(await store.acquireLease(lease, 'a', 10_000, at(5_000))).toBe(true);
        expect(await store.leaseHolder(lease)).toEqual({ holder: 'a', expiresAt: at(15_000) });
        expect(await store.acquireLease(lease, 'b', 10_000, at(15_000))).toBe(false);
        expect(await store.acquireLease(lease, 'b', 10_000, at(15_001))).toBe(true);
        expect(await store.leaseHolder(lease)).toEqual({ holder: 'b', expiresAt: at(25_001) });
      });

      it('renews only while the holder still holds it, expired or not: never one another took over', async () => {
        expect(await store.renewLease(lease, 'a', 10_000, t0)).toBe(false);
        await store.acquireLease(lease, 'a', 10_000, t0);
        expect(await store.renewLease(lease, 'a', 10_000, at(20_000))).toBe(true); // late, but nobody took it
        expect(await store.leaseHolder(lease)).toEqual({ holder: 'a', expiresAt: at(30_000) });
        expect(await store.renewLease(lease, 'b', 10_000, at(20_000))).toBe(false);
        expect(await store.acquireLease(lease, 'b', 10_000, at(30_001))).toBe(true);
        expect(await store.renewLease(lease, 'a', 10_000, at(30_002))).toBe(false);
        expect(await store.leaseHolder(lease)).toEqual({ holder: 'b', expiresAt: at(40_001) });
      });

      it('releases only for its holder, and a successor takes it at once', async () => {
        await store.acquireLease(lease, 'a', 10_000, t0);
        await store.releaseLease(lease, 'b');
        expect(await store.leaseHolder(lease)).toMatchObject({ holder: 'a' });
        await store.releaseLease(lease, 'a');
        expect(await store.leaseHolder(lease)).toBeNull();
        expect(await store.acquireLease(lease, 'b', 10_000, at(1))).toBe(true);
      });

      it('takes over before expiry only from the named predecessor', async () => {
        await store.acquireLease(lease, 'a', 10_000, t0);
        expect(await store.acquireLease(lease, 'c', 10_000, at(1), { takeOverFrom: 'b' })).toBe(false);
        expect(await store.acquireLease(lease, 'c', 10_000, at(1), { takeOverFrom: 'a' })).toBe(true);
        expect(await store.leaseHolder(lease)).toEqual({ holder: 'c', expiresAt: at(10_001) });
      });

      it('gives a free lease asked for by two processes at once to exactly one', async () => {
        const other = await harness.open();
        try {
          const asked = await Promise.all([
            store.acquireLease(lease, 'a', 10_000, t0),
            other.acquireLease(lease, 'b', 10_000, t0),
          ]);
          expect(asked.filter(Boolean)).toHaveLength(1);
          expect((await store.leaseHolder(lease))?.holder).toBe(asked[0] ? 'a' : 'b');
        } finally {
          await other.close();
        }
      });

      const fencedPut = (holder: string, docs: ReadDocument[], checkpoint: string) =>
        store.commit({
          checkpoints: { [projection]: checkpoint },
          changes: docs.map((document) => ({ collection: users, id: document.id, document })),
          lease: { name: lease, holder },
        });
      const expectUntouched = async () => {
        expect(await store.get(users, 'u1')).toEqual(user('u1', { email: 'kept@x' }));
        expect(await store.get(users, 'u2')).toBeNull();
        expect(await store.checkpoint(projection)).toBe(pos(1));
      };

      it('fences commits: after a takeover the old holder commits nothing (LeaseLostError)', async () => {
        await expect(fencedPut('a', [user('u1', { email: 'kept@x' })], pos(1))).rejects.toMatchObject({
          name: 'LeaseLostError', // nobody holds it yet
        });
        await store.acquireLease(lease, 'a', 10_000, t0);
        await fencedPut('a', [user('u1', { email: 'kept@x' })], pos(1));
        await store.acquireLease(lease, 'b', 10_000, at(10_001));
        await expect(
          fencedPut('a', [user('u1', { email: 'stale@x' }, pos(2)), user('u2', { email: 'new@x' }, pos(2))], pos(2)),
        ).rejects.toMatchObject({ name: 'LeaseLostError', lease, holder: 'a' });
        await expectUntouched();
        await fencedPut('b', [user('u2', { email: 'new@x' }, pos(2))], pos(2));
        expect(await store.get(users, 'u2')).not.toBeNull();
      });

      it('fences commits during a bulk load too (SQLite writes those on a writer thread)', async () => {
        await store.acquireLease(lease, 'a', 10_000, t0);
        await store.beginBulkLoad([users]);
        try {
          await fencedPut('a', [user('u1', { email: 'kept@x' })], pos(1));
          await store.acquireLease(lease, 'b', 10_000, at(10_001));
          await expect(fencedPut('a', [user('u2', { email: 'new@x' }, pos(2))], pos(2))).rejects.toMatchObject({
            name: 'LeaseLostError',
          });
        } finally {
          await store.endBulkLoad([users]);
        }
        await expectUntouched();
      });
    });

    it('keeps throttle counters that two processes share: a budget per key and window, refunds, Retry-After', async () => {
      const name = `contract_${randomBytes(5).toString('hex')}`;
      const processA = store.openThrottles();
      const processB = store.openThrottles(); // another connection to the same storage, as a second replica has
      try {
        const a = processA.create({ name, points: 3, durationSeconds: 60 });
        const b = processB.create({ name, points: 3, durationSeconds: 60 });
        expect((await a.consume('198.51.100.1')).allowed).toBe(true);
        expect((await b.consume('198.51.100.1')).allowed).toBe(true);
        expect((await a.consume('198.51.100.1')).allowed).toBe(true);
        const refused = await b.consume('198.51.100.1');
        expect(refused.allowed).toBe(false);
        expect(refused.retryAfterSeconds).toBeGreaterThan(0);
        expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
        expect((await a.consume('198.51.100.2')).allowed).toBe(true); // another key, its own budget
        await a.refund('198.51.100.1');
        await a.refund('198.51.100.1');
        expect((await b.consume('198.51.100.1')).allowed).toBe(true);
        expect((await b.consume('198.51.100.1')).allowed).toBe(false);
      } finally {
        await processA.close();
        await processB.close();
      }
    });
  });
}
