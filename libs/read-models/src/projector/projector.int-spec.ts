import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, RecordedEvent, START } from '@app/event-store';
import { SqliteEventStore } from '@app/event-store/sqlite/sqlite-event-store';
import { ReadDocument, ReadStore } from '../read-store.port';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import { defineProjection, Projection } from './projection';
import { Projector } from './projector';

interface Tally extends ReadDocument {
  count: number;
  values: number[];
}

/** Counts events per stream: a replayed event would show up as a wrong count. */
const tallies = (onEvolve: (event: RecordedEvent) => void = () => undefined): Projection<Tally> =>
  defineProjection<Tally>({
    name: 'tallies',
    collection: 'tallies',
    indexes: [{ fields: ['count'] }],
    handlers: {
      Counted: {
        documentIds: (event) => [event.streamId],
        evolve: (document, event, id) => {
          onEvolve(event);
          return {
            id,
            _position: event.position,
            count: (document?.count ?? 0) + 1,
            values: [...(document?.values ?? []), event.data.value as number],
          };
        },
      },
      Removed: { documentIds: (event) => [event.streamId], evolve: () => null },
    },
  });

describe('Projector', () => {
  let dir: string;
  let events: EventStore;
  let readStore: ReadStore;
  const projectors: Projector[] = [];
  const projector = (projection = tallies(), batchSize = 500) => {
    const created = new Projector(events, readStore, [projection], { batchSize, retryDelayMs: 20 });
    projectors.push(created);
    return created;
  };
  const count = (stream: string, n: number, from = 0) =>
    events.append(
      stream,
      Array.from({ length: n }, (_, i) => ({ type: 'Counted', data: { value: from + i } })),
      { expectedRevision: 'any' },
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'projector-'));
    events = new SqliteEventStore(join(dir, 'db.sqlite'), { pollIntervalMs: 20 });
    readStore = new SqliteReadStore(join(dir, 'db.sqlite'));
  });

  afterEach(async () => {
    for (const p of projectors.splice(0)) await p.stop();
    await events.close();
    await readStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up, follows live appends, and tells when a position is reached', async () => {
    await count('a', 3);
    const running = projector();
    await running.start();
    const { position } = await count('a', 2, 3);
    expect(await running.waitFor(position, 5000)).toBe(true);
    expect(await readStore.get('tallies', 'a')).toMatchObject({
      count: 5,
      values: [0, 1, 2, 3, 4],
      _position: position,
    });
    expect(running.getStatus()).toMatchObject({
      running: true,
      checkpoint: position,
      startedFrom: START,
      lastError: null,
    });
  });

  it('resumes from its checkpoint after a restart instead of replaying from zero', async () => {
    const first = projector();
    await first.start();
    const { position } = await count('a', 10);
    await first.waitFor(position, 5000);
    await first.stop();

    let evolved = 0;
    const second = projector(tallies(() => evolved++));
    await second.start();
    expect(second.getStatus().startedFrom).toBe(position);
    const next = await count('a', 1, 10);
    expect(await second.waitFor(next.position, 5000)).toBe(true);
    expect(evolved).toBe(1);
    expect(second.getStatus().eventsProjected).toBe(1);
    expect((await readStore.get<Tally>('tallies', 'a'))?.count).toBe(11);
  });

  it('ignores redelivered events: a rewound checkpoint changes no document', async () => {
    await count('a', 5);
    await count('b', 5);
    await projector().catchUp();
    const before = await readStore.find('tallies');
    await readStore.commit({ checkpoints: { tallies: START }, changes: [] }); // as if the checkpoint were lost
    let evolved = 0;
    await projector(tallies(() => evolved++)).catchUp();
    expect(evolved).toBe(0);
    expect(await readStore.find('tallies')).toEqual(before);
  });

  it('rebuilds from zero to exactly the incremental result, deletes included', async () => {
    const live = projector(tallies(), 7);
    await live.start();
    for (let i = 0; i < 20; i++) await count(`s${i % 6}`, 3, i * 3);
    const removed = await events.append('s2', [{ type: 'Removed', data: {} }], { expectedRevision: 'any' });
    await live.waitFor(removed.position, 5000);
    await live.stop();
    const incremental = await readStore.find('tallies');
    expect(incremental.map((d) => d.id)).toEqual(['s0', 's1', 's3', 's4', 's5']);

    const rebuild = projector(tallies(), 7);
    await rebuild.reset();
    expect(await readStore.count('tallies')).toBe(0);
    await rebuild.catchUp();
    expect(await readStore.find('tallies')).toEqual(incremental);
  });

  it('catches up with commits still in flight: the next batches read the documents being committed', async () => {
    for (let i = 0; i < 40; i++) await count(`s${i % 3}`, 2, i * 2);
    const originalCommit = readStore.commit.bind(readStore);
    let inFlight = 0;
    let mostInFlight = 0;
    readStore.commit = async (commit) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      // Let the projector run ahead (several turns of the event loop) before this commit lands.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      try {
        return await originalCommit(commit);
      } finally {
        inFlight--;
      }
    };
    await projector(tallies(), 5).catchUp();
    expect(mostInFlight).toBe(1); // commits stay in order, one at a time
    for (const stream of ['s0', 's1', 's2']) {
      const tally = await readStore.get<Tally>('tallies', stream);
      const values = Array.from({ length: 40 }, (_, i) => i)
        .filter((i) => i % 3 === Number(stream[1]))
        .flatMap((i) => [i * 2, i * 2 + 1]);
      expect(tally).toMatchObject({ count: values.length, values });
    }
  });

  it('stops a catch-up at the first failing commit, keeps what was committed, and resumes exactly', async () => {
    for (let i = 0; i < 10; i++) await count('a', 3, i * 3);
    const originalCommit = readStore.commit.bind(readStore);
    let commits = 0;
    readStore.commit = async (commit) => {
      if (++commits === 3) throw new Error('disk full');
      return originalCommit(commit);
    };
    const failing = projector(tallies(), 4);
    await expect(failing.catchUp()).rejects.toThrow('disk full');
    const committed = await readStore.get<Tally>('tallies', 'a');
    expect(committed?.count).toBe(8); // two batches of 4
    expect(await readStore.checkpoint('tallies')).toBe(committed?._position);

    readStore.commit = originalCommit;
    await projector(tallies(), 4).catchUp();
    expect(await readStore.get<Tally>('tallies', 'a')).toMatchObject({
      count: 30,
      values: Array.from({ length: 30 }, (_, i) => i),
    });
  });

  it('loads in bulk only the collections it replays from zero', async () => {
    await count('a', 3);
    const calls: string[] = [];
    readStore.beginBulkLoad = async (collections) => void calls.push(`begin ${collections.join()}`);
    readStore.endBulkLoad = async (collections) => void calls.push(`end ${collections.join()}`);
    await projector().catchUp();
    expect(calls).toEqual(['begin tallies', 'end tallies']);
    await count('a', 1, 3);
    await projector().catchUp(); // resumes from its checkpoint: no bulk load
    expect(calls).toHaveLength(2);
    expect((await readStore.get<Tally>('tallies', 'a'))?.count).toBe(4);
  });

  it('on start, catches up a backlog in bulk (a new projection), then follows live appends', async () => {
    for (let i = 0; i < 5; i++) await count(`s${i}`, 20, i * 20);
    const bulk: string[] = [];
    const begin = readStore.beginBulkLoad.bind(readStore);
    const end = readStore.endBulkLoad.bind(readStore);
    readStore.beginBulkLoad = async (collections) => (bulk.push('begin'), begin(collections));
    readStore.endBulkLoad = async (collections) => (bulk.push('end'), end(collections));
    const running = projector(tallies(), 7);
    await running.start();
    const live = await count('s0', 1, 100);
    expect(await running.waitFor(live.position, 5000)).toBe(true);
    // The live event may have been part of the catch-up, whose bulk load ends right after its commit.
    for (let i = 0; i < 500 && bulk.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(bulk).toEqual(['begin', 'end']);
    expect((await readStore.get<Tally>('tallies', 's0'))?.count).toBe(21);
    expect(await readStore.count('tallies', { count: { eq: 20 } })).toBe(4); // the index is back
  });

  it('stops on a reducer that throws (replaying the event would throw again), says where, and carries on once fixed', async () => {
    const logged: string[] = [];
    const broken = tallies((event) => {
      if (event.data.value === 2) throw new Error('cannot read property of undefined');
    });
    const first = await count('a', 2);
    const stuck = new Projector(events, readStore, [broken], {
      batchSize: 1,
      retryDelayMs: 5,
      log: (_level, message) => logged.push(message),
    });
    projectors.push(stuck);
    await stuck.start();
    const { position } = await count('a', 2, 2);
    expect(await stuck.waitFor(first.position, 5000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200)); // 40 retry delays: it must not retry
    expect(stuck.getStatus().stalled).toEqual({
      after: first.position,
      reason: expect.stringContaining('projection tallies failed on Counted at position'),
    });
    expect(logged.filter((line) => line.includes('will not retry'))).toHaveLength(1);
    await stuck.stop();

    const fixed = projector(); // the next start (a restart, after the fix) carries on from the checkpoint
    await fixed.start();
    expect(await fixed.waitFor(position, 5000)).toBe(true);
    expect((await readStore.get<Tally>('tallies', 'a'))?.values).toEqual([0, 1, 2, 3]);
    expect(fixed.getStatus()).toMatchObject({ lastError: null, stalled: null });
  });

  it('retries a store failure that passes, and stops on one that cannot (a constraint the store refuses)', async () => {
    let attempts = 0;
    let failWith: string | null = 'SQLITE_BUSY';
    const failing = new (class extends SqliteReadStore {
      override async commit(commit: Parameters<SqliteReadStore['commit']>[0]): Promise<void> {
        attempts += 1;
        if (failWith) {
          const code = failWith;
          if (code === 'SQLITE_BUSY') failWith = null; // passes on the next try
          throw Object.assign(new Error(`${code}: refused`), { code });
        }
        return super.commit(commit);
      }
    })(join(dir, 'db.sqlite'));
    const running = new Projector(events, failing, [tallies()], { retryDelayMs: 5 });
    projectors.push(running);
    await running.start();
    const { position } = await count('a', 2);
    expect(await running.waitFor(position, 5000)).toBe(true); // retried past the busy store
    expect(attempts).toBe(2);

    failWith = 'SQLITE_CONSTRAINT_UNIQUE';
    await count('a', 1, 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(attempts).toBe(3); // once, not every 5 ms
    expect(running.getStatus().stalled).toEqual({ after: position, reason: 'SQLITE_CONSTRAINT_UNIQUE: refused' });
    await running.stop();
    await failing.close();
  });

  it('answers false when a position is not reached in time', async () => {
    const idle = projector();
    await count('a', 1);
    expect(await idle.waitFor('99999999999999999999', 50)).toBe(false);
  });

  it('projects a large backlog in bounded batches', async () => {
    for (let i = 0; i < 10; i++) await count(`big${i}`, 300, i * 300);
    const commits: number[] = [];
    const originalCommit = readStore.commit.bind(readStore);
    readStore.commit = async (commit) => {
      commits.push(commit.changes.length);
      return originalCommit(commit);
    };
    const running = projector(tallies(), 250);
    await running.start();
    expect(await running.waitFor(await events.headPosition(), 10_000)).toBe(true);
    expect(await readStore.count('tallies')).toBe(10);
    expect((await readStore.get<Tally>('tallies', 'big9'))?.count).toBe(300);
    expect(commits.length).toBeGreaterThanOrEqual(12); // 3000 events / 250 per batch
  });
});
