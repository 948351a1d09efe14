/**
 * The contract every EventStore adapter passes. Streams get a random prefix per test, so the suite
 * also runs against a shared KurrentDB server holding other data; log-wide checks filter on it.
 */
import { randomUUID } from 'node:crypto';
import {
  EventStore,
  NewEvent,
  RecordedEvent,
  START,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';

export interface EventStoreContractHarness {
  /** A store ready for use. Called once per test. */
  open(): Promise<EventStore>;
  /** Releases what `open` made (files, connections). */
  dispose?(): Promise<void>;
}

const event = (type: string, data: Record<string, unknown> = {}): NewEvent => ({
  type,
  data,
  metadata: { correlationId: randomUUID() },
});

/** Reads events from a subscription until `count` matched `filter`, or fails after `timeoutMs`. */
export async function collect(
  subscription: Subscription,
  count: number,
  filter: (e: RecordedEvent) => boolean,
  timeoutMs = 10_000,
): Promise<RecordedEvent[]> {
  const received: RecordedEvent[] = [];
  const timer = setTimeout(() => void subscription.close(), timeoutMs);
  try {
    for await (const e of subscription) {
      if (filter(e)) received.push(e);
      if (received.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
  }
  if (received.length < count) {
    throw new Error(`subscription delivered ${received.length} of ${count} events in ${timeoutMs} ms`);
  }
  return received;
}

async function expectConflict(promise: Promise<unknown>): Promise<WrongExpectedRevisionError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    return error as WrongExpectedRevisionError;
  }
  throw new Error('expected a WrongExpectedRevisionError, the append succeeded');
}

export function describeEventStoreContract(adapterName: string, harness: EventStoreContractHarness): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let prefix: string;
    const stream = (name: string) => `${prefix}${name}`;
    const mine = (e: RecordedEvent) => e.streamId.startsWith(prefix);

    beforeEach(async () => {
      store = await harness.open();
      prefix = `t${randomUUID().replace(/-/g, '').slice(0, 12)}_`;
    });

    afterEach(async () => {
      await store.close();
      await harness.dispose?.();
    });

    it('reads a missing stream as empty', async () => {
      expect(await store.readStream(stream('missing'))).toEqual([]);
    });

    it('appends to a new stream and reads the events back exactly', async () => {
      const id = randomUUID();
      const result = await store.append(
        stream('a'),
        [{ id, type: 'Opened', data: { n: 1, nested: { ok: true } }, metadata: { actor: 'user' } }],
        { expectedRevision: 'no_stream' },
      );
      expect(result.nextExpectedRevision).toBe(0);
      const [read] = await store.readStream(stream('a'));
      expect(read).toMatchObject({
        id,
        streamId: stream('a'),
        revision: 0,
        position: result.position,
        type: 'Opened',
        data: { n: 1, nested: { ok: true } },
        metadata: { actor: 'user' },
      });
      expect(new Date(read.recordedAt).toISOString()).toBe(read.recordedAt);
    });

    it('refuses an empty append without creating the stream', async () => {
      await expect(store.append(stream('empty'), [], { expectedRevision: 'no_stream' })).rejects.toThrow(RangeError);
      expect(await store.readStream(stream('empty'))).toEqual([]);
      await store.append(stream('empty'), [event('First')], { expectedRevision: 'no_stream' });
    });

    it('generates a UUID for an event without an id', async () => {
      await store.append(stream('a'), [event('Opened')], { expectedRevision: 'any' });
      const [read] = await store.readStream(stream('a'));
      expect(read.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });

    it('appends a batch atomically with consecutive revisions and increasing positions', async () => {
      const result = await store.append(stream('b'), [event('A'), event('B'), event('C')], {
        expectedRevision: 'no_stream',
      });
      const read = await store.readStream(stream('b'));
      expect(read.map((e) => [e.type, e.revision])).toEqual([
        ['A', 0],
        ['B', 1],
        ['C', 2],
      ]);
      expect(read[0].position < read[1].position && read[1].position < read[2].position).toBe(true);
      expect(result).toEqual({ nextExpectedRevision: 2, position: read[2].position });
    });

    it('rejects no_stream on an existing stream and leaves it unchanged', async () => {
      await store.append(stream('c'), [event('A')], { expectedRevision: 'no_stream' });
      const error = await expectConflict(store.append(stream('c'), [event('B')], { expectedRevision: 'no_stream' }));
      expect(error.streamId).toBe(stream('c'));
      expect((await store.readStream(stream('c'))).map((e) => e.type)).toEqual(['A']);
    });

    it('accepts the exact expected revision and rejects a stale one with the actual revision', async () => {
      await store.append(stream('d'), [event('A'), event('B')], { expectedRevision: 'no_stream' });
      await store.append(stream('d'), [event('C')], { expectedRevision: 1 });
      const error = await expectConflict(store.append(stream('d'), [event('D')], { expectedRevision: 1 }));
      expect(error.actual).toBe(2);
      const futureError = await expectConflict(store.append(stream('d'), [event('D')], { expectedRevision: 7 }));
      expect(futureError.expected).toBe(7);
      expect((await store.readStream(stream('d'))).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('rejects an exact revision on a missing stream', async () => {
      await expectConflict(store.append(stream('e'), [event('A')], { expectedRevision: 0 }));
      expect(await store.readStream(stream('e'))).toEqual([]);
    });

    it('honours stream_exists and any', async () => {
      await expectConflict(store.append(stream('f'), [event('A')], { expectedRevision: 'stream_exists' }));
      await store.append(stream('f'), [event('A')], { expectedRevision: 'any' });
      await store.append(stream('f'), [event('B')], { expectedRevision: 'stream_exists' });
      await store.append(stream('f'), [event('C')], { expectedRevision: 'any' });
      expect((await store.readStream(stream('f'))).map((e) => e.revision)).toEqual([0, 1, 2]);
    });

    it('lets exactly one of many concurrent appends with the same expected revision win', async () => {
      await store.append(stream('g'), [event('Created')], { expectedRevision: 'no_stream' });
      const attempts = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          store.append(stream('g'), [event('Changed', { i })], { expectedRevision: 0 }),
        ),
      );
      const won = attempts.filter((a) => a.status === 'fulfilled');
      const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(19);
      for (const a of lost) expect(a.reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(stream('g'))).toHaveLength(2);
    });

    it('lets exactly one of many concurrent creations of one stream win (uniqueness guard)', async () => {
      const attempts = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          store.append(stream('guard'), [event('Claimed', { i })], { expectedRevision: 'no_stream' }),
        ),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      expect(await store.readStream(stream('guard'))).toHaveLength(1);
    });

    it('loses nothing under concurrent appends with any', async () => {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.append(stream('h'), [event('Tick', { i })], { expectedRevision: 'any' }),
        ),
      );
      const read = await store.readStream(stream('h'));
      expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(new Set(read.map((e) => e.data.i)).size).toBe(50);
    });

    it('reads a stream from a revision with a maximum count', async () => {
      await store.append(
        stream('i'),
        Array.from({ length: 10 }, (_, i) => event('N', { i })),
        {
          expectedRevision: 'no_stream',
        },
      );
      const page = await store.readStream(stream('i'), { fromRevision: 3, maxCount: 4 });
      expect(page.map((e) => e.data.i)).toEqual([3, 4, 5, 6]);
      expect(await store.readStream(stream('i'), { fromRevision: 10 })).toEqual([]);
    });

    it('keeps streams independent', async () => {
      await store.append(stream('j1'), [event('A')], { expectedRevision: 'no_stream' });
      await store.append(stream('j2'), [event('A'), event('B')], { expectedRevision: 'no_stream' });
      await store.append(stream('j1'), [event('B')], { expectedRevision: 0 });
      expect((await store.readStream(stream('j1'))).map((e) => e.revision)).toEqual([0, 1]);
      expect((await store.readStream(stream('j2'))).map((e) => e.revision)).toEqual([0, 1]);
    });

    it('reads all streams in append order, and pages from a position without gap or duplicate', async () => {
      // From the head as it was, never from the start: a long-lived server's log is any length.
      const before = await store.headPosition();
      const appended: string[] = [];
      for (let i = 0; i < 12; i++) {
        const s = stream(`k${i % 3}`);
        await store.append(s, [event('N', { i })], { expectedRevision: 'any' });
        appended.push(`${s}:${i}`);
      }
      const firstPosition = (await store.readStream(stream('k0')))[0].position;
      expect(firstPosition > before).toBe(true);
      const start = (await store.readAll({ after: before, maxCount: 10_000 })).filter(mine);
      expect(start.map((e) => `${e.streamId}:${e.data.i}`)).toEqual(appended);

      const paged: RecordedEvent[] = [];
      let after = before;
      for (;;) {
        const page = await store.readAll({ after, maxCount: 5 });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(5);
        paged.push(...page);
        after = page[page.length - 1].position;
      }
      const positions = paged.map((e) => e.position);
      expect([...positions].sort()).toEqual(positions);
      expect(new Set(positions).size).toBe(positions.length);
      expect(paged.filter(mine).map((e) => `${e.streamId}:${e.data.i}`)).toEqual(appended);
    });

    it('reports the head position', async () => {
      const result = await store.append(stream('l'), [event('A'), event('B')], { expectedRevision: 'no_stream' });
      const head = await store.headPosition();
      expect(head >= result.position).toBe(true);
      expect(await store.readAll({ after: head })).toEqual([]);
    });

    it('round-trips unicode in types, streams, data and metadata', async () => {
      const text = 'Grüße 漢字 パスワード עברית 🔐👩‍👩‍👧 \u00e9\u0301 "quotes" \\ back\nslash \t tab';
      await store.append(stream('ü-漢'), [{ type: 'Unicodé', data: { text, [text]: 1 }, metadata: { ua: text } }], {
        expectedRevision: 'no_stream',
      });
      const [read] = await store.readStream(stream('ü-漢'));
      expect(read.type).toBe('Unicodé');
      expect(read.data).toEqual({ text, [text]: 1 });
      expect(read.metadata).toEqual({ ua: text });
    });

    it('round-trips a 1 MB payload', async () => {
      const blob = 'x'.repeat(1024 * 1024);
      await store.append(stream('big'), [{ type: 'Big', data: { blob } }], { expectedRevision: 'no_stream' });
      const [read] = await store.readStream(stream('big'));
      expect((read.data.blob as string).length).toBe(1024 * 1024);
      expect(read.data.blob).toBe(blob);
    });

    it('subscribes from the start: existing events, then live ones', async () => {
      await store.append(stream('m'), [event('Old')], { expectedRevision: 'no_stream' });
      const subscription = store.subscribeToAll({ after: START });
      const received = collect(subscription, 3, mine);
      await store.append(stream('m'), [event('New1')], { expectedRevision: 0 });
      await store.append(stream('m2'), [event('New2')], { expectedRevision: 'no_stream' });
      expect((await received).map((e) => e.type)).toEqual(['Old', 'New1', 'New2']);
    });

    it('subscribes from a checkpoint: only events after it', async () => {
      const first = await store.append(stream('n'), [event('Before1'), event('Before2')], {
        expectedRevision: 'no_stream',
      });
      await store.append(stream('n'), [event('After1')], { expectedRevision: 1 });
      const subscription = store.subscribeToAll({ after: first.position });
      const received = collect(subscription, 2, mine);
      await store.append(stream('n'), [event('After2')], { expectedRevision: 2 });
      expect((await received).map((e) => e.type)).toEqual(['After1', 'After2']);
    });

    it('switches from catch-up to live with appends racing it: no gap, no duplicate, log order', async () => {
      const backlog = 300;
      for (let i = 0; i < backlog; i += 50) {
        await store.append(
          stream(`race${i % 4}`),
          Array.from({ length: 50 }, (_, j) => event('Backlog', { seq: i + j })),
          { expectedRevision: 'any' },
        );
      }
      const checkpoint = (await store.readStream(stream('race0')))[0].position;
      const subscription = store.subscribeToAll({ after: checkpoint });
      const racing = 200;
      const expectedCount = backlog - 1 + racing; // the checkpoint event itself is excluded
      const received = collect(subscription, expectedCount, mine, 20_000);
      const writers = Array.from({ length: 4 }, (_, w) =>
        (async () => {
          for (let i = 0; i < racing / 4; i++) {
            await store.append(stream(`live${w}`), [event('Live', { w, i })], { expectedRevision: 'any' });
            if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
          }
        })(),
      );
      await Promise.all(writers);
      const events = await received;
      const positions = events.map((e) => e.position);
      expect(new Set(positions).size).toBe(expectedCount);
      expect([...positions].sort()).toEqual(positions);
      const all = (await store.readAll({ after: checkpoint, maxCount: 100_000 })).filter(mine);
      expect(positions).toEqual(all.map((e) => e.position));
      for (let w = 0; w < 4; w++) {
        const live = events.filter((e) => e.streamId === stream(`live${w}`)).map((e) => e.data.i);
        expect(live).toEqual(Array.from({ length: racing / 4 }, (_, i) => i));
      }
    });

    it('ends iteration when a subscription is closed, and lets subscribers run independently', async () => {
      const a = store.subscribeToAll({ after: await store.headPosition() });
      const b = store.subscribeToAll({ after: await store.headPosition() });
      const fromA = collect(a, 1, mine);
      const fromB = collect(b, 2, mine);
      await store.append(stream('o'), [event('One')], { expectedRevision: 'no_stream' });
      expect((await fromA).map((e) => e.type)).toEqual(['One']);
      await store.append(stream('o'), [event('Two')], { expectedRevision: 0 });
      expect((await fromB).map((e) => e.type)).toEqual(['One', 'Two']);

      const c = store.subscribeToAll({ after: await store.headPosition() });
      const iteration = (async () => {
        let count = 0;
        for await (const _ of c) count++;
        return count;
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await c.close();
      await expect(iteration).resolves.toBe(0);
    });

    it('keeps events durable across reopening the store', async () => {
      await store.append(stream('p'), [event('Kept', { v: 1 })], { expectedRevision: 'no_stream' });
      await store.close();
      store = await harness.open();
      expect((await store.readStream(stream('p'))).map((e) => e.data)).toEqual([{ v: 1 }]);
    });
  });
}
