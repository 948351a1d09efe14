import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@app/platform';
import { LeaseLostError } from '../read-store.port';
import { SqliteReadStore } from '../sqlite/sqlite-read-store';
import { BackgroundWorkLease, BackgroundWorkLeaseOptions } from './background-work-lease';

/**
 * The lease runner (issue 16) on real SQLite files, two "processes" (each its own connection and
 * runner) sharing one file and one manual clock: time is moved, never waited for; the timer's
 * rounds are called by hand (`tick`). The TTL is a minute so the real timer never fires meanwhile.
 */
describe('BackgroundWorkLease: one process runs the background work', () => {
  const TTL = 60_000;
  let dir: string;
  let clock: ManualClock;
  const stores: SqliteReadStore[] = [];
  const runners: BackgroundWorkLease[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lease-'));
    clock = new ManualClock(new Date('2026-05-01T00:00:00.000Z'));
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.shutdown();
    for (const store of stores.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A process: its connection to the shared file, its runner, one work that records what happens to it. */
  const startProcess = (options: Partial<BackgroundWorkLeaseOptions> = {}) => {
    const store = new SqliteReadStore(join(dir, 'accounts.sqlite'));
    stores.push(store);
    const log: string[] = [];
    const lease = new BackgroundWorkLease(store, clock, {
      enabled: true,
      ttlMs: TTL,
      log: (level, message) => log.push(`${level}: ${message}`),
      ...options,
    });
    runners.push(lease);
    const work = { running: false, starts: 0 };
    void lease.add({
      name: 'recorder',
      start: async () => {
        work.running = true;
        work.starts += 1;
      },
      stop: async () => {
        work.running = false;
      },
    });
    return { store, lease, work, log };
  };
  const holderOf = async (p: { lease: BackgroundWorkLease }) => (await p.lease.report()).holder;
  /** Lets queued transitions run (no time passes). */
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('runs the work in exactly one of two processes; after a clean shutdown the standby takes over at once', async () => {
    const first = startProcess();
    const second = startProcess();
    await first.lease.begin();
    await second.lease.begin();
    expect([first.lease.active, first.work.running]).toEqual([true, true]);
    expect([second.lease.active, second.work.running]).toEqual([false, false]);
    const held = await holderOf(first);
    expect(held).toMatch(new RegExp(`^${hostname()}:${process.pid}:[0-9a-f]{8}$`));
    expect(await second.lease.report()).toEqual({
      name: 'background-work',
      role: 'standby',
      holder: held,
      expiresAt: '2026-05-01T00:01:00.000Z',
    });
    expect(second.log).toContain(
      `log: The lease background-work is held by ${held} until 2026-05-01T00:01:00.000Z: standing by`,
    );

    await second.lease.tick(); // standing by: it stays so
    expect(second.work.running).toBe(false);

    await first.lease.shutdown();
    expect(first.work.running).toBe(false);
    expect(first.log).toContain(`log: Released the lease background-work (${held})`);
    expect(await holderOf(second)).toBeNull();
    await second.lease.tick(); // the clock has not moved: no TTL waited for
    expect([second.lease.active, second.work.running]).toEqual([true, true]);
    expect(second.log.some((line) => line.startsWith('log: Took the lease background-work as '))).toBe(true);
  });

  it('a holder dropped without release: the standby takes over once the TTL has passed, the old one stops when it wakes', async () => {
    const first = startProcess();
    const second = startProcess();
    await first.lease.begin();
    await second.lease.begin();
    // The first stops renewing (killed, or paused): nobody releases its lease.
    clock.advance(TTL / 2);
    await second.lease.tick();
    expect(second.lease.active).toBe(false);
    clock.advance(TTL / 2); // exactly at the end: not yet expired
    await second.lease.tick();
    expect(second.lease.active).toBe(false);
    clock.advance(1);
    await second.lease.tick();
    expect([second.lease.active, second.work.running]).toEqual([true, true]);
    expect(first.work.running).toBe(true); // it does not know yet

    await first.lease.tick(); // it wakes up and renews: refused
    expect([first.lease.active, first.work.running]).toEqual([false, false]);
    expect(
      first.log.some((line) => /^warn: Lost the lease background-work .*another process took it over/.test(line)),
    ).toBe(true);
    expect(await holderOf(first)).toBe(await holderOf(second)); // its release did not touch the new holder's lease
    await first.lease.tick();
    expect(first.lease.active).toBe(false);
  });

  it('refuses the commits of a holder that lost the lease (nothing written), and the refusal stops its work', async () => {
    const first = startProcess();
    const second = startProcess();
    await first.lease.begin();
    await first.store.ensureCollection('docs', []);
    await first.lease.readStore.commit({
      checkpoints: { p: '00000000000000000001' },
      changes: [{ collection: 'docs', id: 'a', document: { id: 'a', _position: '00000000000000000001', v: 1 } }],
    });
    clock.advance(TTL + 1); // the first is paused past its lease...
    await second.lease.begin(); // ...and the second takes it
    expect(second.lease.active).toBe(true);

    const late = first.lease.readStore.commit({
      checkpoints: { p: '00000000000000000002' },
      changes: [{ collection: 'docs', id: 'a', document: { id: 'a', _position: '00000000000000000002', v: 2 } }],
    });
    await expect(late).rejects.toBeInstanceOf(LeaseLostError);
    expect(await first.store.get('docs', 'a')).toMatchObject({ v: 1 });
    expect(await first.store.checkpoint('p')).toBe('00000000000000000001');
    await settle();
    expect([first.lease.active, first.work.running]).toEqual([false, false]);
    expect(second.work.running).toBe(true);
  });

  it('a standby cannot commit through the lease store at all', async () => {
    const first = startProcess();
    const second = startProcess();
    await first.lease.begin();
    await second.lease.begin();
    await first.store.ensureCollection('docs', []);
    await expect(second.lease.confirm()).rejects.toMatchObject({ name: 'LeaseLostError', holder: null });
    await expect(first.lease.confirm()).resolves.toBeUndefined();
  });

  it('stops the work when a renewal fails or does not answer before the lease ends', async () => {
    const failing = startProcess();
    await failing.lease.begin();
    const renew = jest.spyOn(failing.store, 'renewLease').mockRejectedValue(new Error('store unreachable'));
    clock.advance(TTL / 3);
    await failing.lease.tick();
    expect(failing.lease.active).toBe(true); // not confirmed yet, but the lease still runs
    expect(failing.log).toContain('warn: Could not renew the lease background-work: store unreachable');
    clock.advance(TTL);
    await failing.lease.tick();
    expect([failing.lease.active, failing.work.running]).toEqual([false, false]);
    renew.mockRestore();
    await failing.lease.tick(); // standing by, it takes the lease again once it can
    expect([failing.lease.active, failing.work.starts]).toEqual([true, 2]);

    // A renewal that hangs: the next round finds it unanswered past the lease's end.
    jest.spyOn(failing.store, 'renewLease').mockReturnValue(new Promise<boolean>(() => undefined));
    clock.advance(TTL / 3);
    void failing.lease.tick();
    clock.advance(TTL);
    await failing.lease.tick();
    expect([failing.lease.active, failing.work.running]).toEqual([false, false]);
    expect(failing.log.filter((line) => line.includes('its renewal was not confirmed in time'))).toHaveLength(2);
    runners.splice(runners.indexOf(failing.lease), 1); // its hung renewal would hold up shutdown
  });

  it('takes over at once from a holder of this host whose process no longer runs (the embedded store)', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid; // a process that has exited
    const setup = new SqliteReadStore(join(dir, 'accounts.sqlite'));
    stores.push(setup);
    await setup.acquireLease('background-work', `${hostname()}:${gone}:0badc0de`, TTL, clock.now());

    const apiProcess = startProcess(); // without the option (MongoDB): it waits for the TTL
    await apiProcess.lease.begin();
    expect(apiProcess.lease.active).toBe(false);

    const embedded = startProcess({ reclaimFromStoppedLocalProcesses: true });
    await embedded.lease.begin();
    expect(embedded.lease.active).toBe(true);
    expect(
      embedded.log.some((line) => line.includes(`from ${hostname()}:${gone}:0badc0de (a process of this host`)),
    ).toBe(true);
  });

  it('waits for a holder that still runs, or runs on another host', async () => {
    const setup = new SqliteReadStore(join(dir, 'accounts.sqlite'));
    stores.push(setup);
    await setup.acquireLease('background-work', `${hostname()}:${process.ppid}:00000001`, TTL, clock.now());
    const waiting = startProcess({ reclaimFromStoppedLocalProcesses: true });
    await waiting.lease.begin();
    expect(waiting.lease.active).toBe(false);

    await setup.releaseLease('background-work', `${hostname()}:${process.ppid}:00000001`);
    await setup.acquireLease('background-work', `another-host:1:00000001`, TTL, clock.now());
    await waiting.lease.tick();
    expect(waiting.lease.active).toBe(false);
  });

  it('gives the lease up when the work fails to start, and tries again later', async () => {
    const store = new SqliteReadStore(join(dir, 'accounts.sqlite'));
    stores.push(store);
    const lease = new BackgroundWorkLease(store, clock, { enabled: true, ttlMs: TTL });
    runners.push(lease);
    let broken = true;
    await lease.add({
      name: 'fragile',
      start: async () => {
        if (broken) throw new Error('cannot start');
      },
      stop: async () => undefined,
    });
    await expect(lease.begin()).rejects.toThrow('cannot start'); // at start-up: the app does not start
    expect(lease.active).toBe(false);
    expect((await lease.report()).holder).toBeNull();
    broken = false;
    await lease.tick();
    expect(lease.active).toBe(true);
  });

  it('takes nothing where the process runs no background work', async () => {
    const api = startProcess({ enabled: false });
    await api.lease.begin();
    await api.lease.tick();
    expect([api.lease.active, api.work.running]).toEqual([false, false]);
    expect(await api.lease.report()).toEqual({ name: 'background-work', role: 'off', holder: null, expiresAt: null });
  });
});
