import { EventStore } from '@app/event-store';
import { eventMetadata, IdentityEvent } from '@app/identity-events';
import { systemContext } from '@app/platform';
import { sqliteExecutor } from '../testing/sqlite-executor';
import { CommandExecutor } from './command-executor';
import { Decider } from './decider';
import { Snapshotting, WriteModelSnapshots } from './write-model-snapshots';

interface Tally {
  count: number;
  last: string | null;
}

/** A stream that only grows: each command adds one event; the state counts them. */
const tallyDecider: Decider<{ n: number }, Tally> = {
  initialState: () => ({ count: 0, last: null }),
  evolve: (state, event) => ({
    count: state.count + 1,
    last: event.type === IdentityEvent.RecoveryCodeUsed ? String(event.data.index) : state.last,
  }),
  // Any event type would do: one that carries a number shows the fold kept the latest.
  decide: (command) => [
    { type: IdentityEvent.RecoveryCodeUsed, data: { userId: 'u1', index: command.n, remaining: 0 } },
  ],
  snapshot: { name: 'tally-v1', every: 10, toJson: (state) => state, fromJson: (json) => json as Tally },
};
const withoutSnapshots: Decider<{ n: number }, Tally> = { ...tallyDecider, snapshot: undefined };

describe('CommandExecutor with write-model snapshots (SQLite)', () => {
  let events: EventStore;
  let snapshots: WriteModelSnapshots;
  let executor: CommandExecutor;
  const metadata = () => eventMetadata(systemContext('test'), new Date('2026-05-01T00:00:00Z'));

  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ events, snapshots, executor, close } = await sqliteExecutor('executor'));
  });
  afterEach(() => close());

  it('reads only the events after the latest snapshot, and folds the same state as from zero', async () => {
    for (let n = 1; n <= 25; n++) await executor.execute('tally-1', tallyDecider, { n }, metadata());
    const snapshot = await snapshots.get('tally-1', tallyDecider.snapshot as Snapshotting<unknown>);
    expect(snapshot?.revision).toBe(19); // the 20th event: the command that had read 10 since the last one
    const read = jest.spyOn(events, 'readStream');
    expect(await executor.load('tally-1', tallyDecider)).toEqual({ count: 25, last: '25' });
    expect(read).toHaveBeenCalledWith('tally-1', { fromRevision: 20 });
    expect((await events.readStream('tally-1')).length).toBe(25);
    expect(await executor.load('tally-1', withoutSnapshots)).toEqual({ count: 25, last: '25' });
  });

  it('snapshots a long stream when it is only read (a stream read on a hot path)', async () => {
    for (let n = 1; n <= 15; n++) await executor.execute('tally-5', withoutSnapshots, { n }, metadata());
    expect(await snapshots.get('tally-5', tallyDecider.snapshot as Snapshotting<unknown>)).toBeNull();
    expect(await executor.load('tally-5', tallyDecider)).toEqual({ count: 15, last: '15' });
    expect(await snapshots.get('tally-5', tallyDecider.snapshot as Snapshotting<unknown>)).toEqual({
      revision: 14,
      json: { count: 15, last: '15' },
    });
  });

  it('appends with the right expected revision when nothing came after the snapshot', async () => {
    for (let n = 1; n <= 20; n++) await executor.execute('tally-2', tallyDecider, { n }, metadata());
    expect((await snapshots.get('tally-2', tallyDecider.snapshot as Snapshotting<unknown>))?.revision).toBe(19);
    const { appended } = await executor.execute('tally-2', tallyDecider, { n: 21 }, metadata());
    expect(appended?.nextExpectedRevision).toBe(20);
    expect(await executor.load('tally-2', tallyDecider)).toEqual({ count: 21, last: '21' });
  });

  it('stays right with an older snapshot (another process wrote it) and when a snapshot cannot be written', async () => {
    for (let n = 1; n <= 30; n++) await executor.execute('tally-3', tallyDecider, { n }, metadata());
    await snapshots.put('tally-3', tallyDecider.snapshot!, 4, { count: 5, last: '5' }); // older than the newest
    expect(await executor.load('tally-3', tallyDecider)).toEqual({ count: 30, last: '30' });

    jest.spyOn(snapshots, 'put').mockRejectedValue(new Error('read store down'));
    for (let n = 31; n <= 45; n++) await executor.execute('tally-3', tallyDecider, { n }, metadata());
    expect(await executor.load('tally-3', tallyDecider)).toEqual({ count: 45, last: '45' });
  });

  it('decides concurrent commands on the state they really see (a conflict re-reads from the snapshot)', async () => {
    for (let n = 1; n <= 12; n++) await executor.execute('tally-4', tallyDecider, { n }, metadata());
    const other = new CommandExecutor(events, snapshots); // a second process: its own stream queue
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => executor.execute('tally-4', tallyDecider, { n: 100 + i }, metadata())),
      ...Array.from({ length: 10 }, (_, i) => other.execute('tally-4', tallyDecider, { n: 200 + i }, metadata())),
    ]);
    expect((await executor.load('tally-4', tallyDecider)).count).toBe(32);
    expect((await events.readStream('tally-4')).map((e) => e.revision)).toEqual(
      Array.from({ length: 32 }, (_, i) => i),
    );
  });
});
