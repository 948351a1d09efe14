import type { Browser, BrowserContext, Page } from 'playwright-core';
import { EventStore } from '@app/event-store';
import { IdentityEvent } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { ProjectionProgress } from '@app/read-models/projector/projection-progress';
import { Account, bearer, register, tokenFor } from '../support/accounts';
import { buildConsole, byTest, checkScreen, describeInBrowser, launchChromium, waitForCount } from '../support/browser';
import { openFromMenu, signInToConsoleByLabel } from '../support/console-pages';
import { MfaSessions, signInWithMfa } from '../support/mfa-session';
import { totp } from '../support/rfc6238';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { request, startTestApp, TestApp, uniqueEmail } from '../support/test-app';

const ADMIN = { email: 'console.admin@example.com', password: 'console administrator passphrase' };

describeInBrowser('admin console in Chromium', () => {
  const clock = new ManualClock(new Date());
  let smtp: SmtpCapture;
  let api: TestApp;
  let browser: Browser;
  let admin: Account;
  let adminMfa: MfaSessions;
  let auditor: Account;
  let auditorMfa: MfaSessions;
  let victim: Account;
  /** Signed in with the app, but no console role. */
  let plain: Account;
  let plainMfa: MfaSessions;
  /** A moment when the victim's app and passkey were on (the first test resets them later). */
  let victimProtectedAt: Date;

  /** Signs in through the UI with the password and a code from the authenticator app. */
  function signInWithApp(page: Page, account: Account, secret: string, landsInConsole = true): Promise<void> {
    return signInToConsoleByLabel(
      page,
      api.url,
      account,
      () => {
        clock.advance(30_000);
        return totp(secret, clock.now());
      },
      { landsInConsole },
    );
  }

  /** The dialog a button opened, by its name; waits until it is shown. */
  async function dialogNamed(page: Page, name: string) {
    const dialog = page.getByRole('dialog', { name });
    await dialog.waitFor();
    return dialog;
  }

  /** The text of the "who did it" part of the newest timeline row of this event type. */
  function newestRow(page: Page, type: string) {
    return page.locator(`${byTest('timeline-row')}[data-event-type="${type}"]`).first();
  }

  async function newPage(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
    // UTC, so a time typed into a date-time field means the same to the test and the page.
    const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: 'UTC' });
    return { context, page: await context.newPage() };
  }

  /** The victim adds a passkey over the API, after a step-up with the authenticator app. */
  async function addPasskey(sessions: MfaSessions, name: string): Promise<void> {
    const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
      request(`${api.url}${path}`, { method: 'POST', json, headers: bearer(sessions.withMfa, headers) });
    clock.advance(30_000);
    const grant = (await post('/v1/me/reauth', { method: 'totp', code: totp(sessions.secret, clock.now()) })).body;
    const options = await post('/v1/me/passkeys/options', {}, { 'x-reauth-token': grant.reauthToken });
    const device = new SoftAuthenticator({ origin: 'http://localhost:5173', rpId: 'localhost' });
    const added = await post('/v1/me/passkeys', { response: device.create(options.body), name });
    if (added.status !== 201) throw new Error(`adding a passkey failed: ${JSON.stringify(added.body)}`);
  }

  beforeAll(async () => {
    await buildConsole();
    smtp = await startSmtpCapture();
    api = await startTestApp({
      clock,
      env: {
        SMTP_URL: smtp.url,
        SIGNIN_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
        BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
        BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
        // The victim's passkey is made by an authenticator in software for this origin.
        WEBAUTHN_RP_ID: 'localhost',
        WEBAUTHN_ORIGINS: 'http://localhost:5173',
      },
    });
    const adminId = (
      await request(`${api.url}/v1/me`, {
        headers: { authorization: `Bearer ${await tokenFor(api.url, { ...ADMIN, userId: '' })}` },
      })
    ).body.id;
    admin = { ...ADMIN, userId: adminId };
    adminMfa = await signInWithMfa(api.url, clock, admin);
    auditor = await register(api.url, uniqueEmail('auditor'));
    await request(`${api.url}/v1/admin/users/${auditor.userId}/roles`, {
      method: 'PUT',
      json: { roles: ['auditor'] },
      headers: { authorization: `Bearer ${adminMfa.withMfa}` },
    });
    auditorMfa = await signInWithMfa(api.url, clock, auditor);
    plain = await register(api.url, uniqueEmail('plain'));
    plainMfa = await signInWithMfa(api.url, clock, plain);
    victim = await register(api.url, uniqueEmail('victim'));
    const victimMfa = await signInWithMfa(api.url, clock, victim);
    await addPasskey(victimMfa, 'Victim phone');
    // A whole minute with the app and the passkey on, before the first test resets them.
    clock.advance(60_000);
    victimProtectedAt = clock.now();
    clock.advance(120_000);
    browser = await launchChromium();
  }, 300_000); // the console build may wait for another run's build on a busy machine

  afterAll(async () => {
    await browser?.close();
    await api?.close({ removeData: true });
    await smtp?.close();
  });

  it('lets an admin sign in with TOTP, find a user, read the timeline and act on the account from each dialog', async () => {
    const { context, page } = await newPage();
    try {
      await signInWithApp(page, admin, adminMfa.secret);
      await page.waitForSelector(byTest('stat-sign-ins'));
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await checkScreen(page, 'console-01-dashboard');

      await openFromMenu(page, 'Users');
      await page.getByLabel('Find users whose email starts with').fill(victim.email);
      // As a person would: wait until the list shows the matches of what was typed, then pick one.
      await page.waitForURL((url) => url.searchParams.get('q') === victim.email);
      await waitForCount(page.locator(byTest('user-row')), 1);
      await checkScreen(page, 'console-02-users');
      await page.getByRole('link', { name: victim.email }).click();
      await page.waitForURL(`**/admin/users/${victim.userId}`);
      await page.getByRole('heading', { level: 1, name: victim.email }).waitFor();
      await page.waitForSelector(byTest('timeline-row'));
      expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
      expect(await page.locator(`${byTest('timeline-row')}[data-event-type="TotpEnrolled"]`).count()).toBe(1);
      // The user's passkeys, as the owner named them.
      const passkeys = page.getByRole('list', { name: 'Passkeys' });
      await passkeys.waitFor();
      expect(await passkeys.getByRole('listitem').count()).toBe(1);
      expect(await passkeys.getByRole('listitem').first().textContent()).toContain('Victim phone');
      await checkScreen(page, 'console-03-user-admin');

      // Each row's button says which event it opens.
      const enrolled = newestRow(page, 'TotpEnrolled');
      await enrolled.getByRole('button', { name: /^Show raw event: / }).click();
      const raw = await dialogNamed(page, 'Raw event');
      await raw.locator(byTest('raw-event-json')).waitFor();
      expect(await raw.locator(byTest('raw-event-json')).textContent()).toContain('"type": "TotpEnrolled"');
      await checkScreen(page, 'console-04-raw-event');
      await page.keyboard.press('Escape');
      await raw.waitFor({ state: 'detached' });

      // Reset two-step verification: a reason and the address typed back.
      await page.getByRole('button', { name: `Reset two-step verification for ${victim.email}` }).click();
      const reset = await dialogNamed(page, 'Reset two-step verification');
      // Focus moves into the dialog, to its first field.
      expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('reset-mfa-reason');
      const confirmReset = reset.getByRole('button', { name: 'Reset two-step verification', exact: true });
      expect(await confirmReset.isDisabled()).toBe(true);
      await reset.getByLabel('Reason (recorded in the audit log)').fill('Lost phone; identity checked in person');
      await reset.getByLabel(`Type ${victim.email} to confirm`).fill(victim.email);
      expect(await confirmReset.isDisabled()).toBe(false);
      await checkScreen(page, 'console-05-reset-mfa-dialog');
      await confirmReset.click();
      await reset.waitFor({ state: 'detached' });
      const resetRow = newestRow(page, IdentityEvent.MfaResetByAdmin);
      await resetRow.waitFor();
      expect(await resetRow.textContent()).toContain('identity checked in person');
      // Who did it: the admin, by their address.
      expect(await resetRow.locator(byTest('timeline-actor')).textContent()).toBe(admin.email);
      // The reset removed the passkey too.
      await page.locator(byTest('user-passkeys-empty')).waitFor();
      expect(await page.getByRole('list', { name: 'Passkeys' }).count()).toBe(0);
      await checkScreen(page, 'console-06-after-reset');

      // The log says who did it: the admin who is signed in.
      const events = await api.app.get(EventStore).readAll({ maxCount: 100_000 });
      const resetEvent = events.find(
        (e) => e.type === IdentityEvent.MfaResetByAdmin && e.data.userId === victim.userId,
      );
      expect(resetEvent?.metadata.actor).toEqual({ type: 'admin', id: admin.userId });

      // Lock, then unlock.
      await page.getByRole('button', { name: `Lock account of ${victim.email}` }).click();
      const lock = await dialogNamed(page, 'Lock this account?');
      expect(await lock.textContent()).toContain(victim.email);
      await checkScreen(page, 'console-07-lock-dialog');
      await lock.getByRole('button', { name: 'Lock account', exact: true }).click();
      await lock.waitFor({ state: 'detached' });
      await page.getByText('The account is locked.').waitFor();
      await page.getByRole('button', { name: `Unlock account of ${victim.email}` }).click();
      const unlock = await dialogNamed(page, 'Unlock this account?');
      await checkScreen(page, 'console-08-unlock-dialog');
      await unlock.getByRole('button', { name: 'Unlock account', exact: true }).click();
      await unlock.waitFor({ state: 'detached' });
      await page.getByText('The account is unlocked.').waitFor();
      expect(
        await newestRow(page, IdentityEvent.AccountUnlockedByAdmin).locator(byTest('timeline-actor')).textContent(),
      ).toBe(admin.email);

      // Sign out all the sessions of the account.
      await page.getByRole('button', { name: `Sign out all sessions of ${victim.email}` }).click();
      const revoke = await dialogNamed(page, 'Sign out all sessions?');
      await checkScreen(page, 'console-09-revoke-sessions-dialog');
      await revoke.getByRole('button', { name: 'Sign out all sessions', exact: true }).click();
      await revoke.waitFor({ state: 'detached' });
      await page.getByText('All sessions of this account were signed out.').waitFor();

      // Roles: checkboxes named by their labels.
      await page.getByRole('button', { name: `Change roles of ${victim.email}` }).click();
      const roles = await dialogNamed(page, 'Change console roles');
      const auditorRole = roles.getByRole('checkbox', { name: 'Auditor' });
      expect(await auditorRole.isChecked()).toBe(false);
      await auditorRole.check();
      await checkScreen(page, 'console-10-roles-dialog');
      await roles.getByRole('button', { name: 'Save roles' }).click();
      await roles.waitFor({ state: 'detached' });
      await page.getByText('The roles were changed.').waitFor();
      const detail = await request(`${api.url}/v1/admin/users/${victim.userId}`, {
        headers: { authorization: `Bearer ${adminMfa.withMfa}` },
      });
      expect(detail.body.roles).toEqual(['auditor']);

      // The erase dialog, opened and left without erasing (erasure.e2e-spec erases).
      await page.getByRole('button', { name: `Erase personal data of ${victim.email}` }).click();
      const erase = await dialogNamed(page, 'Erase personal data');
      await erase.getByLabel('Reason (recorded in the audit log)').fill('Only looking');
      await checkScreen(page, 'console-11-erase-dialog');
      await erase.getByRole('button', { name: 'Cancel' }).click();
      await erase.waitFor({ state: 'detached' });
      // ...and back to the button that opened it.
      expect(await page.evaluate('document.activeElement && document.activeElement.getAttribute("aria-label")')).toBe(
        `Erase personal data of ${victim.email}`,
      );

      // The event log, filtered by the labels of its fields.
      await openFromMenu(page, 'Event log');
      await page.waitForURL('**/admin/events');
      await page.getByRole('heading', { level: 1, name: 'Event log' }).waitFor();
      await page.waitForSelector(byTest('timeline-row'));
      await checkScreen(page, 'console-12-event-log');
      const day = (offset: number) => new Date(clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel('Event type').fill(IdentityEvent.MfaResetByAdmin);
      await page.keyboard.press('Enter');
      // The account by its address: the console finds its id.
      await page.getByLabel('Email or user id').fill(victim.email);
      await page.getByLabel('From (day, your time)').fill(day(-1));
      await page.getByLabel('To (day included, your time)').fill(day(1));
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(
        (url) =>
          url.searchParams.get('type') === IdentityEvent.MfaResetByAdmin &&
          url.searchParams.get('userId') === victim.userId,
      );
      const rows = page.locator(byTest('timeline-row'));
      await waitForCount(rows, 1);
      expect(await rows.first().getAttribute('data-event-type')).toBe(IdentityEvent.MfaResetByAdmin);
      expect(await rows.first().locator(byTest('timeline-actor')).textContent()).toBe(admin.email);
      // The link to the account the event is about is named by its address.
      const subject = rows.first().getByRole('link', { name: victim.email, exact: true });
      expect(await subject.getAttribute('href')).toBe(`/admin/users/${victim.userId}`);
      await checkScreen(page, 'console-13-event-log-filtered');
      // An address no account has: said under the field, the list stays as it was.
      await page.getByLabel('Email or user id').fill('nobody.here@example.com');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('No account has the address nobody.here@example.com.').waitFor();
      expect(new URL(page.url()).searchParams.get('userId')).toBe(victim.userId);
      await checkScreen(page, 'console-13b-event-log-no-such-account');

      // At phone width the menu opens as a drawer; the user's page has no sideways scrolling.
      await page.setViewportSize({ width: 375, height: 800 });
      await page.getByRole('button', { name: 'Open menu' }).click();
      const drawerMenu = page.getByRole('navigation', { name: 'Console' }).last();
      await drawerMenu.getByRole('link', { name: 'Users', exact: true }).waitFor();
      await checkScreen(page, 'console-14-phone-menu');
      await drawerMenu.getByRole('link', { name: 'Users', exact: true }).click();
      await page.waitForURL('**/admin/users**');
      await page.getByLabel('Find users whose email starts with').fill(victim.email);
      await page.waitForURL((url) => url.searchParams.get('q') === victim.email);
      await waitForCount(page.locator(byTest('user-row')), 1);
      await page.getByRole('link', { name: victim.email }).click();
      await page.getByRole('heading', { level: 1, name: victim.email }).waitFor();
      await page.waitForSelector(byTest('security-state'));
      // Runs in the page, where `document` exists.
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('tells a person without a console role that they have no access, and says so again after "Check again"', async () => {
    const { context, page } = await newPage();
    try {
      await signInWithApp(page, plain, plainMfa.secret, false);
      await page.goto(`${api.url}/admin`);
      await page.getByRole('heading', { level: 1, name: 'No access to the console' }).waitFor();
      expect(await page.locator(byTest('forbidden-message')).textContent()).toContain('administrators and auditors');
      await checkScreen(page, 'console-15-no-access');
      await page.getByRole('button', { name: 'Check again' }).click();
      await page.getByText('Checked again: your account still has no console role.').waitFor();
      await page.getByRole('button', { name: `Sign out ${plain.email}` }).click();
      await page.waitForURL('**/admin/sign-in**');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows an auditor the same pages without any action', async () => {
    const { context, page } = await newPage();
    try {
      await signInWithApp(page, auditor, auditorMfa.secret);
      await page.goto(`${api.url}/admin/users/${victim.userId}`);
      await page.waitForSelector(byTest('security-state'));
      await page.waitForSelector(byTest('timeline-row'));
      expect(await page.getByRole('group', { name: `Actions on ${victim.email}` }).count()).toBe(0);
      for (const action of [
        'Reset two-step verification for',
        'Sign out all sessions of',
        'Lock account of',
        'Unlock account of',
        'Change roles of',
        'Erase personal data of',
      ]) {
        expect(await page.getByRole('button', { name: `${action} ${victim.email}` }).count()).toBe(0);
      }
      // The actor of the admin's reset is named by their address for an auditor too.
      expect(await newestRow(page, IdentityEvent.MfaResetByAdmin).locator(byTest('timeline-actor')).textContent()).toBe(
        admin.email,
      );
      await checkScreen(page, 'console-16-user-auditor');

      // The account as it was before the admin's reset: the app and the passkey still on.
      const minute = new Date(Math.floor(victimProtectedAt.getTime() / 60_000) * 60_000);
      await page.getByLabel('Show the account as it was at').fill(minute.toISOString().slice(0, 16));
      await page.getByRole('button', { name: 'Show that moment' }).click();
      const banner = page.locator(byTest('as-of-banner'));
      await banner.waitFor();
      expect(await banner.textContent()).toContain('This is the account as it was at');
      expect(new URL(page.url()).searchParams.get('asOf')).toBe(minute.toISOString());
      await page.locator(byTest('changed-by')).waitFor();
      expect(await page.locator(byTest('state-totp')).textContent()).toContain('On, turned on');
      expect(await page.getByRole('list', { name: 'Passkeys' }).getByRole('listitem').count()).toBe(1);
      expect(await page.locator(`${byTest('changed-by')} [data-field="mfa"]`).textContent()).toContain(
        'Two-step methods:',
      );
      await checkScreen(page, 'console-17-user-auditor-as-of');
      await page.getByRole('button', { name: 'Back to now' }).click();
      await page.locator(byTest('as-of-banner')).waitFor({ state: 'detached' });
      expect(new URL(page.url()).searchParams.get('asOf')).toBeNull();
      expect(await page.locator(byTest('changed-by')).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  // How fast it opens is measured by `npm run bench -- console`, not asserted here (a busy machine is slow).
  it('opens the page of a user with 1,000 events and reads all of them with "Load more"', async () => {
    const busy = await register(api.url, uniqueEmail('busy'));
    const appended = await api.app.get(EventStore).append(
      `signin-busy-${busy.userId}`,
      Array.from({ length: 1000 }, (_, i) => ({
        type: IdentityEvent.LoginFailed,
        data: { userId: busy.userId, reason: 'wrong_password' },
        metadata: {
          occurredAt: clock.now().toISOString(),
          actor: { type: 'anonymous', id: null },
          ip: '198.51.100.7',
          userAgent: `agent ${i}`,
        },
      })),
      { expectedRevision: 'no_stream' },
    );
    expect(await api.app.get(ProjectionProgress).waitFor(appended.position, 30_000)).toBe(true);
    const { context, page } = await newPage();
    try {
      await signInWithApp(page, admin, adminMfa.secret);
      await page.goto(`${api.url}/admin/users/${busy.userId}`);
      await page.waitForSelector(byTest('security-state'));
      await page.waitForSelector(byTest('timeline-row'));

      const rows = page.locator(byTest('timeline-row'));
      const failures = page.locator(`${byTest('timeline-row')}[data-event-type="${IdentityEvent.LoginFailed}"]`);
      const loadMore = page.getByRole('button', { name: 'Load more' });
      for (let pages = 0; (await loadMore.count()) > 0 && pages < 100; pages++) {
        const shown = await rows.count();
        await loadMore.click();
        await waitForCount(rows, (n) => n > shown);
      }
      expect(await loadMore.count()).toBe(0);
      expect(await failures.count()).toBe(1000);
      expect(
        await page.locator(`${byTest('timeline-row')}[data-event-type="${IdentityEvent.UserRegistered}"]`).count(),
      ).toBe(1);
    } finally {
      await context.close();
    }
  }, 120_000);
});
