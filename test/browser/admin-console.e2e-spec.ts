import type { Browser, BrowserContext, Page } from 'playwright-core';
import { EventStore } from '@app/event-store';
import { IdentityEvent } from '@app/identity-events';
import { ManualClock } from '@app/platform';
import { ProjectionProgress } from '@app/read-models/projector/projection-progress';
import { Account, bearer, register, tokenFor } from '../support/accounts';
import {
  buildConsole,
  byTest,
  describeInBrowser,
  expectNoAxeViolations,
  launchChromium,
  screenshot,
  signInToConsole,
  waitForCount,
} from '../support/browser';
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
  /** A moment when the victim's app and passkey were on (the first test resets them later). */
  let victimProtectedAt: Date;

  /** Signs in through the UI with the password and a code from the authenticator app. */
  function signInWithApp(page: Page, account: Account, secret: string): Promise<void> {
    return signInToConsole(page, api.url, account, () => {
      clock.advance(30_000);
      return totp(secret, clock.now());
    });
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
    victim = await register(api.url, uniqueEmail('victim'));
    const victimMfa = await signInWithMfa(api.url, clock, victim);
    await addPasskey(victimMfa, 'Victim phone');
    // A whole minute with the app and the passkey on, before the first test resets them.
    clock.advance(60_000);
    victimProtectedAt = clock.now();
    clock.advance(120_000);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close({ removeData: true });
    await smtp?.close();
  });

  it('lets an admin sign in with TOTP, find a user, read the timeline and reset MFA with a reason', async () => {
    const { context, page } = await newPage();
    try {
      await signInWithApp(page, admin, adminMfa.secret);
      await page.waitForSelector(byTest('stat-sign-ins'));
      await screenshot(page, '01-dashboard');

      await page.click(byTest('nav-users'));
      await page.getByLabel('Search users by email prefix').fill(victim.email);
      // As a person would: wait until the list shows the matches of what was typed, then pick one.
      await page.waitForURL((url) => url.searchParams.get('q') === victim.email);
      await waitForCount(page.locator(byTest('user-row')), 1);
      await screenshot(page, '02-users');
      await page.getByRole('link', { name: victim.email }).click();
      await page.waitForURL(`**/admin/users/${victim.userId}`);
      await page.waitForSelector(byTest('security-state'));
      await page.waitForSelector(byTest('timeline-row'));
      expect(await page.textContent(byTest('user-email'))).toContain(victim.email);
      expect(await page.locator(`${byTest('timeline-row')}[data-event-type="TotpEnrolled"]`).count()).toBe(1);
      // The user's passkeys, as the owner named them.
      const passkeys = page.getByRole('list', { name: 'Passkeys' });
      await passkeys.waitFor();
      expect(await passkeys.getByRole('listitem').count()).toBe(1);
      expect(await passkeys.getByRole('listitem').first().textContent()).toContain('Victim phone');
      await screenshot(page, '03-user');

      await page.click(`${byTest('timeline-row')} ${byTest('timeline-raw-event')} >> nth=0`);
      await page.waitForSelector(byTest('raw-event-json'));
      expect(await page.textContent(byTest('raw-event-json'))).toContain('"type"');
      await screenshot(page, '04-raw-event');
      await page.keyboard.press('Escape');

      await page.click(byTest('action-reset-mfa'));
      await page.waitForSelector(byTest('reset-mfa-dialog'));
      expect(await page.isDisabled(byTest('reset-mfa-submit'))).toBe(true);
      await page.fill(byTest('reset-mfa-reason'), 'Lost phone; identity checked in person');
      await page.fill(byTest('reset-mfa-confirm-email'), victim.email);
      await screenshot(page, '05-reset-mfa-dialog');
      await page.click(byTest('reset-mfa-submit'));
      const resetRow = page.locator(`${byTest('timeline-row')}[data-event-type="${IdentityEvent.MfaResetByAdmin}"]`);
      await resetRow.first().waitFor();
      expect(await resetRow.first().textContent()).toContain('identity checked in person');
      // The reset removed the passkey too.
      await page.locator(byTest('user-passkeys-empty')).waitFor();
      expect(await page.getByRole('list', { name: 'Passkeys' }).count()).toBe(0);
      await screenshot(page, '06-after-reset');

      // The log says who did it: the admin who is signed in.
      const events = await api.app.get(EventStore).readAll({ maxCount: 100_000 });
      const reset = events.find((e) => e.type === IdentityEvent.MfaResetByAdmin && e.data.userId === victim.userId);
      expect(reset?.metadata.actor).toEqual({ type: 'admin', id: admin.userId });

      await page.click(byTest('nav-events'));
      // The user page has timeline rows too: wait for the event log itself before its rows.
      await page.waitForURL('**/admin/events');
      await page.waitForSelector(byTest('events-filters'));
      await page.waitForSelector(byTest('timeline-row'));
      await screenshot(page, '07-event-log');

      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto(`${api.url}/admin/users/${victim.userId}`);
      await page.waitForSelector(byTest('security-state'));
      // No sideways scrolling at phone width (runs in the page, where `document` exists).
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
      await screenshot(page, '08-user-phone');
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
      expect(await page.locator(byTest('user-actions')).count()).toBe(0);
      for (const action of [
        'action-reset-mfa',
        'action-revoke-sessions',
        'action-lock',
        'action-unlock',
        'action-edit-roles',
        'action-erase',
      ]) {
        expect(await page.locator(byTest(action)).count()).toBe(0);
      }
      await screenshot(page, '09-auditor-user');

      // The account as it was before the admin's reset: the app and the passkey still on.
      const minute = new Date(Math.floor(victimProtectedAt.getTime() / 60_000) * 60_000);
      await page.getByLabel('Show the account as it was at').fill(minute.toISOString().slice(0, 16));
      await page.getByRole('button', { name: 'Show that moment' }).click();
      const banner = page.locator(byTest('as-of-banner'));
      await banner.waitFor();
      expect(await banner.textContent()).toContain('This is the account as it was at');
      expect(new URL(page.url()).searchParams.get('asOf')).toBe(minute.toISOString());
      await page.locator(byTest('changed-by')).waitFor();
      expect(await page.locator(byTest('state-totp')).textContent()).toContain('On since');
      expect(await page.getByRole('list', { name: 'Passkeys' }).getByRole('listitem').count()).toBe(1);
      expect(await page.locator(`${byTest('changed-by')} [data-field="mfa"]`).textContent()).toContain(
        'Two-step methods:',
      );
      await expectNoAxeViolations(page, 'user as of a past moment');
      await screenshot(page, '09b-auditor-user-as-of');
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
      await screenshot(page, '10-busy-user');

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
