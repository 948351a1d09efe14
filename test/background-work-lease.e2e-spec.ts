import { rmSync } from 'node:fs';
import { ManualClock } from '@app/platform';
import { Projector, ReadStore } from '@app/read-models';
import { register } from './support/accounts';
import { countMail, waitForMail } from './support/mailboxes';
import { quiesce } from './support/quiesce';
import { reactorSettled } from './support/reactors';
import { request, TestApp } from './support/test-app';
import { changePassword, LEASE_TTL_MS, leaseOf, PASSWORD_CHANGED, startTwoOnOneDataDir } from './support/two-processes';

/**
 * Issue 16: how many processes run the background work (projector, audit chain, reactors)? One:
 * the holder of the lease in the shared read store. Two apps on one DATA_DIR (two `npm start` on
 * one data directory) elect one; the other serves the API and stands by.
 */
describe('the background-work lease: two apps on one DATA_DIR', () => {
  const clock = new ManualClock(new Date('2026-05-01T09:00:00.000Z'));
  let first: TestApp;
  let second: TestApp;
  let firstClosed: boolean;

  beforeEach(async () => {
    [first, second] = await startTwoOnOneDataDir(clock);
    firstClosed = false;
  });
  afterEach(async () => {
    await second.close();
    if (firstClosed) rmSync(first.dataDir, { recursive: true, force: true });
    else await first.close({ removeData: true });
  });
  const closeFirst = async () => {
    firstClosed = true;
    await first.close();
  };

  it('projects and mails in one of them only; the standby serves the API and is ready; after a shutdown the other takes over at once', async () => {
    expect(leaseOf(first).active).toBe(true);
    expect(leaseOf(second).active).toBe(false);
    expect(second.app.get(Projector).getStatus().running).toBe(false);

    const active = await request(`${first.url}/health/ready`);
    const holder = active.body.checks.projector.lease.holder;
    expect(active.status).toBe(200);
    expect(active.body.checks.projector).toMatchObject({ status: 'ok', mode: 'in-process', role: 'active' });
    const standby = await request(`${second.url}/health/ready`);
    expect(standby.status).toBe(200); // a healthy hot spare (README, "Scaling out")
    expect(standby.body.checks.projector).toMatchObject({
      status: 'ok',
      role: 'standby',
      lease: { name: 'background-work', role: 'standby', holder },
    });

    // Through the standby's API: its answers wait for the holder's projection (shared checkpoints).
    const account = await register(second.url);
    expect(await second.app.get(ReadStore).get('users', account.userId)).toMatchObject({ email: account.email });
    await changePassword(second.url, account, 'a new passphrase for the lease');
    await waitForMail(second.url, account.email, PASSWORD_CHANGED);
    await reactorSettled(first);
    expect(await countMail(second.url, account.email, PASSWORD_CHANGED)).toBe(1); // one reactor sent it
    expect(second.app.get(Projector).getStatus().eventsProjected).toBe(0);

    await closeFirst(); // stops its work, then releases the lease
    await leaseOf(second).tick(); // its next round: no TTL waited for (the clock has not moved)
    expect(leaseOf(second).active).toBe(true);
    await changePassword(second.url, account, 'another new passphrase here');
    await waitForMail(second.url, account.email, PASSWORD_CHANGED, 1);
    await quiesce(second);
    expect(second.app.get(Projector).getStatus().running).toBe(true);
    expect((await request(`${second.url}/health/ready`)).body.checks.projector).toMatchObject({
      role: 'active',
      eventsBehind: 0,
    });
  });

  it('takes over from a holder that stopped without releasing (killed) once the TTL has passed', async () => {
    // The first dies without giving the lease up: its release never reaches the store.
    jest.spyOn(first.app.get(ReadStore), 'releaseLease').mockResolvedValue(undefined);
    await closeFirst();

    clock.advance(LEASE_TTL_MS / 2);
    await leaseOf(second).tick();
    expect(leaseOf(second).active).toBe(false);
    clock.advance(LEASE_TTL_MS / 2 + 1);
    await leaseOf(second).tick();
    expect(leaseOf(second).active).toBe(true);

    const account = await register(second.url);
    await quiesce(second);
    expect(await second.app.get(ReadStore).get('users', account.userId)).toMatchObject({ email: account.email });
  });
});
