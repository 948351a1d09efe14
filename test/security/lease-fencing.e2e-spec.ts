import { AuditChainer } from '@app/audit-trail';
import { ClosingChallengesReactor } from '@app/identity/closing-challenges/closing-challenges.reactor';
import { ManualClock } from '@app/platform';
import { Mailer } from '@app/notifications';
import { ALL_PROJECTIONS, LeaseLostError, Projector, ReadStore, type UserDocument } from '@app/read-models';
import { register, tokenFor } from '../support/accounts';
import { eventually } from '../support/eventually';
import { countMail, waitForMail } from '../support/mailboxes';
import { quiesce } from '../support/quiesce';
import { reactorSettled } from '../support/reactors';
import { request, TestApp } from '../support/test-app';
import {
  changePassword,
  LEASE_TTL_MS,
  leaseOf,
  PASSWORD_CHANGED,
  startTwoOnOneDataDir,
} from '../support/two-processes';

/**
 * Issue 16: the background work runs in the holder of a lease. A holder that lost it without
 * knowing (paused past the TTL while another process took over: a long GC pause, a frozen VM, a
 * partition) wakes up with a batch in hand. Its commits are fenced: the store checks the lease
 * inside the commit's own transaction, so a stale holder writes nothing, and goes back to standby.
 * Mail, which cannot be taken back, leaves only after the store confirmed the lease.
 */
describe('attack: a background-work holder that lost its lease', () => {
  const clock = new ManualClock(new Date('2026-05-01T09:00:00.000Z'));
  let first: TestApp;
  let second: TestApp;

  beforeEach(async () => ([first, second] = await startTwoOnOneDataDir(clock)));
  afterEach(async () => {
    await second.close();
    await first.close({ removeData: true });
  });

  /** The first stops renewing (paused) past its lease, and the second takes it over. */
  async function pauseFirstPastItsLease(): Promise<void> {
    clock.advance(LEASE_TTL_MS + 1);
    await leaseOf(second).tick();
    expect(leaseOf(second).active).toBe(true);
  }

  it('L1. its projection batch is refused by the store and changes nothing; its own work meets the fence and stands by', async () => {
    const account = await register(first.url);
    await quiesce(first);
    const store = first.app.get(ReadStore);
    const before = await store.get<UserDocument>('users', account.userId);
    const projected = async () => {
      const checkpoints = await store.checkpoints();
      return ALL_PROJECTIONS.map((projection) => checkpoints[projection.name]);
    };
    const checkpoints = await projected();
    const stale = { name: 'background-work', holder: (await leaseOf(first).report()).holder! };
    await pauseFirstPastItsLease();

    // What its projector would commit under its old lease: a batch evolved before the pause (here: forged).
    const far = '9'.repeat(20);
    const refused = store.commit({
      checkpoints: Object.fromEntries(ALL_PROJECTIONS.map((projection) => [projection.name, far])),
      changes: [
        {
          collection: 'users',
          id: account.userId,
          document: { ...before!, email: 'attacker@example.com', _position: far },
        },
      ],
      lease: stale,
    });
    await expect(refused).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.get('users', account.userId)).toEqual(before);
    expect(await projected()).toEqual(checkpoints);

    // Its own projector, audit chain and reactors still run: the first commit of any of them is
    // refused, and the process stops them and stands by. The new holder projects what comes next.
    const later = await register(second.url);
    const projector = first.app.get(Projector);
    await eventually(async () => (projector.getStatus().running ? undefined : true), 'its projector to stop');
    expect(leaseOf(first).active).toBe(false);
    await quiesce(second);
    expect(await store.get('users', later.userId)).toMatchObject({ email: later.email });
    const ready = await request(`${first.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks.projector).toMatchObject({ role: 'standby', lease: { holder: expect.any(String) } });
    expect(ready.body.checks.projector.lease.holder).not.toBe(stale.holder);
  });

  it('L2. a standby sends no mail, and neither does a holder that lost the lease: each notice leaves once', async () => {
    const firstMails = jest.spyOn(first.app.get(Mailer), 'send');
    const secondMails = jest.spyOn(second.app.get(Mailer), 'send');
    const account = await register(first.url);

    await changePassword(second.url, account, 'a new passphrase for the lease');
    await waitForMail(first.url, account.email, PASSWORD_CHANGED);
    await reactorSettled(first);
    expect(secondMails).not.toHaveBeenCalled(); // the standby's reactor never ran
    expect(firstMails).toHaveBeenCalledTimes(2); // the sign-up code (its API) and the notice (its reactor)

    const token = await tokenFor(first.url, account); // signed in before the pause, its events handled
    await reactorSettled(first);
    await pauseFirstPastItsLease();
    // Its other work is held up (stopped here), so its notifications reactor, still following the
    // log, is the first of its work to meet the next change: the store must refuse it before the mail.
    await first.app.get(Projector).stop();
    await first.app.get(AuditChainer).stop();
    await first.app.get(ClosingChallengesReactor).onApplicationShutdown();
    firstMails.mockClear();
    await changePassword(first.url, account, 'another new passphrase here', token);
    await waitForMail(second.url, account.email, PASSWORD_CHANGED, 1);
    await reactorSettled(second);
    await eventually(async () => (leaseOf(first).active ? undefined : true), 'the first to stand by');
    expect(firstMails).not.toHaveBeenCalled();
    expect(await countMail(second.url, account.email, PASSWORD_CHANGED)).toBe(2);
  });
});
